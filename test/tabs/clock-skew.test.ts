import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/tabs/messages';
import { useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/**
 * Tabs of one browser whose clock can be set (the user or NTP corrects it): every tab reads
 * `Date.now() + skew`; timers keep counting elapsed time; the server keeps its own time.
 */
function skewedBrowser() {
  const browser = createBrowser({ accessTtlS: 900 });
  let skew = 0;
  const open = () => browser.open({ env: { now: () => Date.now() + skew } });
  return {
    browser,
    open,
    setClock(offsetMs: number) {
      skew = offsetMs;
    },
  };
}

const status = (tab: { session: { getSnapshot(): { status: string; user: unknown } } }) => {
  const { status, user } = tab.session.getSnapshot();
  return { status, user: (user as { id?: string } | null)?.id ?? null };
};

describe('cross-tab order survives clock changes', () => {
  it('a logout in a tab opened after the clock went back 10 minutes reaches the older tabs', async () => {
    const { browser, open, setClock } = skewedBrowser();
    const [a, b] = [open(), open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    setClock(-10 * MIN);
    const c = open();
    await settle();
    expect(status(c)).toEqual({ status: 'authenticated', user: 'alice' });
    await c.session.logout();
    await settle();
    for (const tab of [a, b, c]) expect(status(tab)).toEqual({ status: 'anonymous', user: null });
  });

  it('a sign-in and a refresh there are taken by the older tabs (no rotated token is resent)', async () => {
    const { browser, open, setClock } = skewedBrowser();
    const [a, b] = [open(), open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    setClock(-10 * MIN);
    const c = open();
    await settle();
    await c.session.login(browser.server.login('bob'));
    await settle();
    for (const tab of [a, b, c])
      expect(status(tab)).toEqual({ status: 'authenticated', user: 'bob' });
    await c.session.refresh();
    await settle();
    const token = await c.session.getAccessToken();
    expect(await a.session.getAccessToken()).toBe(token);
    expect(await b.session.getAccessToken()).toBe(token);
    // The next rotation, wherever it happens, sends the newest refresh token only.
    await vi.advanceTimersByTimeAsync(13 * MIN);
    await settle();
    expect(browser.server.counts.reuse).toBe(0);
    for (const tab of [a, b, c])
      expect(status(tab)).toEqual({ status: 'authenticated', user: 'bob' });
  });

  it('a tab whose clock jumped ahead and back does not make the others ignore later sign-ins', async () => {
    const { browser, open, setClock } = skewedBrowser();
    const [a, b] = [open(), open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    setClock(DAY);
    await a.session.logout(); // stamped a day ahead
    await settle();
    setClock(0);
    const c = open(); // opened after the clock was corrected
    await settle();
    await c.session.login(browser.server.login('bob'));
    await settle();
    for (const tab of [a, b, c])
      expect(status(tab)).toEqual({ status: 'authenticated', user: 'bob' });
  });

  it('a sign-out message stamped a day ahead does not block sign-ins for a day', async () => {
    const { browser, open } = skewedBrowser();
    const [a, b] = [open(), open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    browser.hub.inject('sessionkeeper', {
      v: PROTOCOL_VERSION,
      from: 'far-future',
      type: 'signout',
      kind: 'logout',
      stamp: Date.now() + DAY,
      sessionStamp: Date.now(),
    });
    await settle();
    for (const tab of [a, b]) expect(status(tab).status).toBe('anonymous');
    const c = open();
    await settle();
    await c.session.login(browser.server.login('bob'));
    await settle();
    for (const tab of [a, b, c])
      expect(status(tab)).toEqual({ status: 'authenticated', user: 'bob' });
  });
});
