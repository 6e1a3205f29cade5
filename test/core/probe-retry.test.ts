import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshError, type RefreshFn } from '../../src/index';
import { flush, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/** A cookie-mode refresh that fails with `failures` first, then signs alice in. */
function cookie(login: () => unknown, ...failures: unknown[]) {
  const calls = { count: 0 };
  const refresh: RefreshFn = async () => {
    calls.count++;
    const failure = failures.shift();
    if (failure) throw failure;
    return login();
  };
  return { refresh, calls };
}

describe('the start-up probe (cookie mode)', () => {
  it.each([
    ['a 503', new RefreshError('server', { status: 503 })],
    ['a network error', new TypeError('Failed to fetch')],
  ])(
    'after %s, says why and asks again with backoff: a live session comes back',
    async (_, failure) => {
      const first = setupSession();
      const probe = cookie(() => first.server.login('alice'), failure);
      const { session, ofType } = setupSession({ probe: true, refresh: probe.refresh });
      await flush();
      // Nothing is known yet: signed out for now, with the reason, never `expired`.
      expect(session.getSnapshot()).toMatchObject({
        status: 'anonymous',
        lastError: expect.objectContaining({
          kind: failure instanceof RefreshError ? 'server' : 'network',
        }),
      });
      await vi.advanceTimersByTimeAsync(1_000); // the first backoff (0.75 s with random() = 0.5)
      await flush();
      expect(probe.calls.count).toBe(2);
      expect(session.getSnapshot()).toMatchObject({
        status: 'authenticated',
        user: { id: 'alice' },
      });
      expect(session.getSnapshot().lastError).toBeUndefined();
      expect(ofType('login')).toEqual([]); // a restore, not a login
    },
  );

  it('after a rejection (400/401: no session) stays signed out and asks no more', async () => {
    const first = setupSession();
    const probe = cookie(
      () => first.server.login('alice'),
      new RefreshError('rejected', { status: 401 }),
    );
    const { session } = setupSession({ probe: true, refresh: probe.refresh });
    await flush();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(probe.calls.count).toBe(1);
    expect(session.getSnapshot().status).toBe('anonymous');
    expect(session.getSnapshot().lastError).toBeUndefined();
  });

  it('a login while it waits to ask again ends the retries', async () => {
    const first = setupSession();
    const probe = cookie(
      () => first.server.login('bob'),
      new RefreshError('server', { status: 500 }),
    );
    const { session, server } = setupSession({ probe: true, refresh: probe.refresh });
    await flush();
    await session.login(server.login('alice'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe.calls.count).toBe(1);
    expect(session.getSnapshot().user?.id).toBe('alice');
  });
});
