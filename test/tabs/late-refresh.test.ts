import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RefreshFn } from '../../src/index';
import { ORIGIN, useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const TTL_S = 600;
const ROTATION_MS = (TTL_S - 120) * 1000;

type Sent = { type: string; kind?: string; tokens?: { userId?: string } };
const tokenMessages = (sent: { data: unknown }[]) =>
  sent.map((m) => m.data as Sent).filter((m) => m.type === 'tokens');

describe('a refresh result that arrives after the session changed', () => {
  it('is never published: bob signing in during alice’s slow refresh stays bob in every tab', async () => {
    const browser = createBrowser({ accessTtlS: TTL_S });
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    const release = browser.server.hold('/token');
    a.win.setVisible(true);
    b.win.setVisible(false); // a refreshes, b waits for it
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    expect(browser.server.refreshRequests).toHaveLength(1); // a's refresh is in flight

    await b.session.login(browser.server.login('bob')); // a shared computer: alice never logged out
    await settle();
    const sentBefore = browser.hub.sent.length;
    release(); // alice's tokens arrive late
    await settle();

    for (const tab of [a, b]) {
      expect(tab.session.getSnapshot()).toMatchObject({
        status: 'authenticated',
        user: { id: 'bob' },
      });
    }
    // Nothing about alice was published after bob signed in, and nobody signed in as alice again.
    expect(tokenMessages(browser.hub.sent.slice(sentBefore))).toEqual([]);
    const logins = (tab: typeof a) =>
      tab.ofType('login').map((e) => (e as { user: { id: string } }).user.id);
    expect(logins(a)).toEqual(['alice', 'bob']);
    expect(logins(b)).toEqual(['alice', 'bob']);
    const me = async (tab: typeof a) =>
      ((await (await tab.session.fetch(`${ORIGIN}/api/me`)).json()) as { user: string }).user;
    expect(await me(a)).toBe('bob');
    expect(await me(b)).toBe('bob');

    // The next rotation: one refresh of bob's chain, adopted by both, no reuse.
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    expect(a.session.getSnapshot().user?.id).toBe('bob');
    expect(b.session.getSnapshot().user?.id).toBe('bob');
    expect(browser.server.counts.reuse).toBe(0);
  });

  it('is never published after a logout, even from a refresh function that ignores its signal', async () => {
    const browser = createBrowser({ accessTtlS: TTL_S });
    let answer = (_: unknown) => {};
    const slow: RefreshFn = () =>
      new Promise((resolve) => {
        answer = resolve; // ignores ctx.signal
      });
    const [a, b] = [browser.open({ refresh: slow }), browser.open({ refresh: slow })];
    await a.session.login(browser.server.login('alice'));
    await settle();
    b.win.setVisible(false);
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    await b.session.logout();
    await settle();
    const sentBefore = browser.hub.sent.length;
    answer(browser.server.login('alice')); // within the 10 s refresh timeout
    await settle();
    expect(tokenMessages(browser.hub.sent.slice(sentBefore))).toEqual([]);
    for (const tab of [a, b]) expect(tab.session.getSnapshot().status).toBe('anonymous');
    expect(a.ofType('login')).toHaveLength(1); // its own, before the refresh
    expect(b.ofType('login')).toHaveLength(1);
  });

  it('never blocks later refreshes: a sign-in during a refresh, with one tab', async () => {
    const browser = createBrowser({ accessTtlS: TTL_S });
    const a = browser.open();
    await a.session.login(browser.server.login('alice'));
    await settle();
    const release = browser.server.hold('/token');
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    await a.session.login(browser.server.login('alice')); // signed in again meanwhile
    release();
    await settle();
    const failed = a.ofType('refresh-failed').length;
    for (let rotation = 1; rotation <= 3; rotation++) {
      await vi.advanceTimersByTimeAsync(ROTATION_MS);
      await settle();
    }
    expect(a.ofType('refresh-failed').length).toBe(failed);
    expect(browser.server.counts.refreshOk).toBe(4); // the late one and three rotations
    expect(a.session.getSnapshot().status).toBe('authenticated');
    expect(a.session.getSnapshot().lastError).toBeUndefined();
    await expect(a.session.refresh()).resolves.toBeUndefined();
  });
});

describe('a refresh message from another tab', () => {
  it('never changes the user: a refresh of alice’s session is ignored by a tab where bob signed in', async () => {
    const browser = createBrowser({ accessTtlS: TTL_S });
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    await a.session.refresh();
    await settle();
    const aliceRefresh = browser.hub.sent.find((m) => (m.data as Sent).kind === 'refresh')
      ?.data as {
      tokens: { stamp: number; obtainedAt: number };
    };
    await b.session.login(browser.server.login('bob'));
    await settle();
    // The same message, delivered late and later than anything by every clock: still not bob's.
    const { stamp, obtainedAt } = aliceRefresh.tokens;
    browser.hub.inject('sessionkeeper', {
      ...aliceRefresh,
      from: 'late-tab',
      tokens: { ...aliceRefresh.tokens, stamp: stamp + 3_600_000, obtainedAt: obtainedAt + 60_000 },
    });
    await settle();
    for (const tab of [a, b]) expect(tab.session.getSnapshot().user?.id).toBe('bob');
    const logins = (tab: typeof a) =>
      tab.ofType('login').map((e) => (e as { user: { id: string } }).user.id);
    expect(logins(a)).toEqual(['alice', 'bob']);
    expect(logins(b)).toEqual(['alice', 'bob']);
  });
});
