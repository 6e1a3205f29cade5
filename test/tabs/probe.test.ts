import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshError, type RefreshFn } from '../../src/index';
import { useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/**
 * An httpOnly refresh cookie shared by every tab, rotated by each refresh, with reuse detection
 * (a rotated cookie sent again is rejected). Answers are held until `release()`.
 */
function rotatingCookie(issue: () => unknown) {
  let cookie = 1;
  const used = new Set<number>();
  const counts = { refreshes: 0, reuse: 0 };
  let gate: Promise<void> | null = null;
  let release = () => {};
  const refresh: RefreshFn = async () => {
    const sent = cookie; // the browser attaches the cookie when the request leaves
    if (gate) await gate;
    if (used.has(sent)) {
      counts.reuse++;
      throw new RefreshError('rejected', { status: 400 });
    }
    used.add(sent);
    cookie++;
    counts.refreshes++;
    return issue();
  };
  return {
    refresh,
    counts,
    hold() {
      gate = new Promise((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
    },
    release: () => release(),
  };
}

describe('the start-up probe (cookie mode) across tabs', () => {
  it('tabs opened together (a restored window) send the rotating cookie once', async () => {
    const browser = createBrowser();
    const cookie = rotatingCookie(() => browser.server.login('alice'));
    cookie.hold();
    const tabs = [1, 2, 3].map(() => browser.open({ probe: true, refresh: cookie.refresh }));
    for (const tab of tabs) expect(tab.session.getSnapshot().status).toBe('initializing');
    await settle();
    cookie.release();
    await settle(60);
    await vi.advanceTimersByTimeAsync(600); // an answer to the later tabs' ask may take a moment
    await settle();
    expect(cookie.counts).toEqual({ refreshes: 1, reuse: 0 });
    for (const tab of tabs) {
      expect(tab.session.getSnapshot()).toMatchObject({
        status: 'authenticated',
        user: { id: 'alice' },
      });
    }
  });

  it('(control) without Web Locks the same tabs reuse the cookie', async () => {
    const browser = createBrowser({}, { locks: false });
    const cookie = rotatingCookie(() => browser.server.login('alice'));
    cookie.hold();
    for (let i = 0; i < 3; i++) browser.open({ probe: true, refresh: cookie.refresh });
    await settle();
    cookie.release();
    await settle(60);
    expect(cookie.counts.reuse).toBeGreaterThan(0);
  });

  it('a tab alone probes at once; no cookie means signed out, not expired', async () => {
    const browser = createBrowser();
    const refresh = vi.fn(async () => {
      throw new RefreshError('rejected', { status: 400 });
    });
    const tab = browser.open({ probe: true, refresh });
    await settle();
    expect(refresh).toHaveBeenCalledOnce();
    expect(tab.session.getSnapshot().status).toBe('anonymous');
  });
});
