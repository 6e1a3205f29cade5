import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/** A sandboxed or opaque-origin document: `new BroadcastChannel()` throws a SecurityError. */
class RefusedChannel {
  constructor() {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }
}

describe('a BroadcastChannel that cannot be opened', () => {
  it('createSession still works: one CHANNEL_UNAVAILABLE error, each tab on its own', async () => {
    const browser = createBrowser({ accessTtlS: 600 });
    const a = browser.open({
      env: { BroadcastChannel: RefusedChannel as never },
    });
    await settle();
    expect(a.ofType('error')).toEqual([
      {
        error: expect.objectContaining({
          code: 'CHANNEL_UNAVAILABLE',
          cause: expect.objectContaining({ name: 'SecurityError' }),
        }),
        source: 'channel',
      },
    ]);
    await a.session.login(browser.server.login('alice'));
    await vi.advanceTimersByTimeAsync(480_000); // a refresh under the lock still works
    await settle();
    expect(browser.server.counts.refreshOk).toBe(1);
    expect(a.session.getSnapshot().status).toBe('authenticated');
    expect(a.ofType('error')).toHaveLength(1);
  });
});
