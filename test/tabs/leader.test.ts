import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const TTL_S = 600;
const ROTATION_MS = (TTL_S - 120) * 1000;

/** Timer callbacks that fired in one tab, counted through its injected setTimeout. */
function countedTimers() {
  const fired = { count: 0 };
  const env = {
    setTimeout: (handler: () => void, ms: number) =>
      setTimeout(() => {
        fired.count++;
        handler();
      }, ms),
    clearTimeout: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
  return { fired, env };
}

type Sent = { type: string };

describe('one tab leads', () => {
  it('one rotation wakes one tab: the leader refreshes, the others only hear of it', async () => {
    const browser = createBrowser({ accessTtlS: TTL_S });
    const timers = Array.from({ length: 5 }, () => countedTimers());
    const tabs = timers.map(({ env }) => browser.open({ env }));
    await settle(); // each found nobody to ask
    await tabs[0]?.session.login(browser.server.login('alice'));
    await settle();
    for (const { fired } of timers) fired.count = 0;
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    expect(browser.server.counts.refreshOk).toBe(1);
    expect(timers.map(({ fired }) => fired.count)).toEqual([1, 0, 0, 0, 0]);
    // The others took the new token set from the broadcast and planned the next rotation.
    const token = await tabs[0]?.session.getAccessToken();
    for (const tab of tabs) expect(await tab.session.getAccessToken()).toBe(token);
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    expect(browser.server.counts.refreshOk).toBe(2);
    expect(browser.server.counts.reuse).toBe(0);
  });

  it('when the leader goes away, the next tab in line leads at the refresh time', async () => {
    const browser = createBrowser({ accessTtlS: TTL_S });
    const [a, b, c] = [browser.open(), browser.open(), browser.open()];
    await a?.session.login(browser.server.login('alice'));
    await settle();
    a?.session.destroy(); // the leader's tab is closed: the browser frees its locks
    await settle();
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    expect(browser.server.counts.refreshOk).toBe(1);
    const refreshedBy = [b, c].filter((tab) =>
      tab?.ofType('refresh').some((e) => !(e as { remote?: boolean }).remote),
    );
    expect(refreshedBy).toHaveLength(1);
  });

  it('a new tab gets one answer, from the leader, and is signed in without a refresh', async () => {
    const browser = createBrowser({ accessTtlS: TTL_S });
    const tabs = [browser.open(), browser.open(), browser.open()];
    await settle(); // each found nobody to ask
    await tabs[0]?.session.login(browser.server.login('alice'));
    await settle();
    const sentBefore = browser.hub.sent.length;
    const fresh = browser.open();
    expect(fresh.session.getSnapshot().status).toBe('initializing'); // no anonymous flash
    await settle();
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    const answers = browser.hub.sent
      .slice(sentBefore)
      .filter((m) => (m.data as Sent).type === 'answer');
    expect(answers).toHaveLength(1);
    expect(fresh.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
    expect(browser.server.counts.refresh).toBe(0);
  });

  it('a new tab is still answered when the leader is going away at that moment', async () => {
    const browser = createBrowser({ accessTtlS: TTL_S });
    const [leader, other] = [browser.open(), browser.open()];
    await leader?.session.login(browser.server.login('alice'));
    await settle();
    browser.hub.pause(); // the question reaches the other tab only after the leader is gone
    const fresh = browser.open();
    leader?.session.destroy();
    browser.hub.resume();
    await settle();
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    expect(other?.session.getSnapshot().status).toBe('authenticated');
    expect(fresh.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
  });
});
