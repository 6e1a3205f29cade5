import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMEOUT_MS } from '../../src/lib/env';
import { jwt } from '../helpers/server';
import { flush, setupSession, T0, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

describe('silent refresh schedule', () => {
  it('refreshes two minutes before expiry, not earlier', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('alice'));
    expect(session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      expiresAt: T0 + 3_600_000,
      refreshAt: T0 + 3_600_000 - 120_000,
    });
    await vi.advanceTimersByTimeAsync(3_600_000 - 120_001);
    expect(server.counts.refresh).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(server.counts.refreshOk).toBe(1);
    expect(session.getSnapshot().expiresAt).toBe(T0 + 3_600_000 - 120_000 + 3_600_000);
  });

  it('refreshes tokens living less than twice the margin at half of their lifetime', async () => {
    const { session, server } = setupSession({}, { accessTtlS: 180 });
    await session.login(server.login());
    expect(session.getSnapshot().refreshAt).toBe(T0 + 90_000);
    await vi.advanceTimersByTimeAsync(90_000);
    await flush();
    expect(server.counts.refreshOk).toBe(1);
  });

  it('counts expiry from the moment the response arrived, whatever the client clock says', async () => {
    // The server's clock is a day ahead of ours: iat/exp in the token are meaningless here.
    const { session } = setupSession();
    const iat = Math.floor(T0 / 1000) + 86_400;
    await session.login({
      access_token: jwt({ sub: 'alice', iat, exp: iat + 600 }),
      expires_in: 600,
    });
    expect(session.getSnapshot().expiresAt).toBe(T0 + 600_000);
  });

  it('uses exp − iat as the lifetime when only the JWT says when it expires', async () => {
    const { session } = setupSession();
    const iat = Math.floor(T0 / 1000) - 3_600; // our clock is an hour ahead of the server's
    await session.login({ access_token: jwt({ sub: 'alice', iat, exp: iat + 900 }) });
    expect(session.getSnapshot().expiresAt).toBe(T0 + 900_000);
  });

  it('acts at once on a deadline that passed while the machine slept', async () => {
    const { session, server, win } = setupSession();
    await session.login(server.login());
    // Sleep: the wall clock jumps, no timer fires.
    vi.setSystemTime(T0 + 3_590_000);
    expect(server.counts.refresh).toBe(0);
    win.setVisible(true);
    await flush();
    expect(server.counts.refreshOk).toBe(1);
  });

  it.each(['visibilitychange', 'focus', 'online', 'pageshow'])(
    're-checks deadlines on %s',
    async (type) => {
      const { session, server, win } = setupSession();
      await session.login(server.login());
      vi.setSystemTime(T0 + 3_500_000);
      win.fire(type);
      await flush();
      expect(server.counts.refreshOk).toBe(1);
    },
  );

  it('never schedules a setTimeout longer than 2^31−1 ms', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const { session, server } = setupSession(
      {},
      { accessTtlS: 60 * 86_400, refreshTtlS: 90 * 86_400 },
    );
    await session.login(server.login());
    const delays = spy.mock.calls.map((call) => call[1] ?? 0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMEOUT_MS);
    // The chunked timer still refreshes on time, 60 days − 2 min later.
    await vi.advanceTimersByTimeAsync(60 * 86_400_000 - 120_001);
    expect(server.counts.refresh).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(server.counts.refreshOk).toBe(1);
  });

  it('checks validity at use time: a late timer never hands out an expired token', async () => {
    const { session, server } = setupSession();
    const login = server.login();
    await session.login(login);
    vi.setSystemTime(T0 + 3_600_001); // the token expired; no timer ran
    const token = await session.getAccessToken();
    expect(server.counts.refreshOk).toBe(1);
    expect(token).not.toBe(login.access_token);
    expect(session.getSnapshot().expiresAt).toBeGreaterThan(Date.now());
  });

  it('makes a caller wait for the refresh in flight and hands it the new token', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    vi.setSystemTime(T0 + 3_500_000);
    const release = server.hold();
    const before = session.getSnapshot().expiresAt;
    const pending = session.getAccessToken();
    // The refresh is in flight, so the caller waits for its result.
    expect(session.getSnapshot().status).toBe('refreshing');
    release();
    await pending;
    expect(session.getSnapshot().expiresAt).toBeGreaterThan(before ?? 0);
  });
});
