import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

// supabase/auth-js#762, supabase-js#1594: a lock around every operation deadlocked when an
// async subscriber called back into the client while the lock was held.
describe('no user code under the refresh lock', () => {
  it('handlers that call back into the session during a refresh do not deadlock', async () => {
    const browser = createBrowser({ accessTtlS: 600 });
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    const done: string[] = [];
    for (const [name, tab] of [
      ['a', a],
      ['b', b],
    ] as const) {
      let once = false;
      tab.session.on('refresh', async () => {
        if (once) return;
        once = true;
        // Re-entrant calls from a handler: a token, another refresh, a request.
        await tab.session.getAccessToken();
        await tab.session.refresh();
        const response = await tab.session.fetch('https://app.test/api/me');
        done.push(`${name}:${response.status}`);
      });
    }
    await vi.advanceTimersByTimeAsync(480_000);
    await settle(60);
    expect(done.sort()).toEqual(['a:200', 'b:200']);
    // Only the presence locks of the two signed-in tabs and the leader's lock are held: no
    // refresh lock was left behind.
    expect([...browser.locks.held].sort()).toEqual([
      'sessionkeeper:leader',
      'sessionkeeper:presence',
      'sessionkeeper:presence',
    ]);
    expect(browser.server.counts.reuse).toBe(0);
    // The scheduled refresh, then the two refresh() calls: b's may adopt a's, sent after b's call.
    expect(browser.server.counts.refreshOk).toBeGreaterThanOrEqual(2);
    expect(browser.server.counts.refreshOk).toBeLessThanOrEqual(3);
  });
});
