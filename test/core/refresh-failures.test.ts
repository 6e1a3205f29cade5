import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshError, SessionError } from '../../src/index';
import { flush, setupSession, T0, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const REFRESH_AT = 3_600_000 - 120_000;

describe('refresh failures', () => {
  it.each([
    ['a network error', 'network', 'network'],
    ['a 503', 'server', 'server'],
    ['a 429', { status: 429 }, 'server'],
    ['a 500', { status: 500 }, 'server'],
    ['an HTML page with status 200', 'html', 'server'],
    // A proxy's or firewall's 403 page says nothing about the refresh token.
    [
      'a 403 HTML page',
      { status: 403, body: '<html><body>Blocked by WAF</body></html>' },
      'server',
    ],
    ['a 403 without an OAuth error', { status: 403 }, 'server'],
  ] as const)('retries %s with backoff and keeps the session', async (_, failure, kind) => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    server.failNext(failure);
    await vi.advanceTimersByTimeAsync(REFRESH_AT);
    await flush();
    expect(ofType('refresh-failed')).toEqual([
      { error: expect.any(RefreshError), attempt: 1, willRetry: true },
    ]);
    expect((ofType('refresh-failed')[0] as { error: RefreshError }).error.kind).toBe(kind);
    // During the backoff wait the token is still valid: authenticated, with the reason.
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', lastError: { kind } });
    expect(ofType('expired')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000); // attempt 1 waits 0.75 s with random() = 0.5
    await flush();
    expect(server.counts.refreshOk).toBe(1);
    expect(session.getSnapshot().lastError).toBeUndefined();
  });

  it('backs off exponentially with a cap and never ends the session for network errors', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    server.failNext(...Array(12).fill('network'));
    await vi.advanceTimersByTimeAsync(REFRESH_AT);
    const times: number[] = [];
    session.on('refresh-failed', () => times.push(Date.now()));
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps.slice(0, 5)).toEqual([1_500, 3_000, 6_000, 12_000, 24_000]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(45_000); // cap 60 s, equal jitter at 0.5
    expect(ofType('expired')).toEqual([]);
    // The access token expired meanwhile; still not ended, and a success brings it back.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await flush();
    expect(server.counts.refreshOk).toBe(1);
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('honours Retry-After on a 429', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    server.failNext({ status: 429, headers: { 'Retry-After': '30' } });
    await vi.advanceTimersByTimeAsync(REFRESH_AT);
    await flush();
    expect(server.counts.refresh).toBe(1);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(server.counts.refresh).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(server.counts.refreshOk).toBe(1);
  });

  it.each([
    ['invalid_grant', 'invalid_grant'],
    ['400', { status: 400, body: { error: 'invalid_request' } }],
    ['401', { status: 401 }],
    ['403 with an OAuth error', { status: 403, body: { error: 'unauthorized_client' } }],
  ] as const)('ends the session at once on %s (refresh-rejected)', async (_, failure) => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    server.failNext(failure);
    await vi.advanceTimersByTimeAsync(REFRESH_AT);
    await flush();
    expect(ofType('refresh-failed')).toEqual([
      { error: expect.objectContaining({ kind: 'rejected' }), attempt: 1, willRetry: false },
    ]);
    expect(ofType('expired')).toEqual([{ reason: 'refresh-rejected' }]);
    expect(session.getSnapshot()).toMatchObject({
      status: 'expired',
      reason: 'refresh-rejected',
      user: { id: 'alice' },
    });
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(server.counts.refresh).toBe(1); // never retried
  });

  it('treats a refresh that does not answer in time as a network error', async () => {
    const { session, server, ofType } = setupSession({
      refresh: { url: 'https://app.test/token', timeoutMs: 5_000 },
    });
    await session.login(server.login());
    const release = server.hold();
    await vi.advanceTimersByTimeAsync(REFRESH_AT + 5_000);
    await flush();
    expect(ofType('refresh-failed')).toMatchObject([
      { error: { kind: 'network' }, willRetry: true },
    ]);
    release();
  });

  it('waits for `online` when offline, then retries at once', async () => {
    const { session, server, win } = setupSession();
    await session.login(server.login());
    win.setOnline(false);
    server.failNext('network');
    await vi.advanceTimersByTimeAsync(REFRESH_AT);
    await flush();
    expect(server.counts.refresh).toBe(1);
    win.setOnline(true);
    await flush();
    expect(server.counts.refreshOk).toBe(1);
  });

  it('lets a logout during a refresh win over its late result', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    const release = server.hold();
    await vi.advanceTimersByTimeAsync(REFRESH_AT);
    expect(session.getSnapshot().status).toBe('refreshing');
    await session.logout();
    release();
    await flush();
    expect(session.getSnapshot()).toMatchObject({
      status: 'anonymous',
      user: null,
      expiresAt: null,
    });
    expect(ofType('refresh')).toEqual([]);
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it('lets an expire during a refresh win over its late result', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    const release = server.hold();
    await vi.advanceTimersByTimeAsync(REFRESH_AT);
    session.expire();
    release();
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'manual' });
    expect(ofType('refresh')).toEqual([]);
  });

  it('keeps callers waiting through transient failures after expiry, then rejects after holdTimeoutMs', async () => {
    const { session, server } = setupSession({ queue: { holdTimeoutMs: 30_000 } });
    await session.login(server.login());
    server.failNext(...Array(20).fill('network'));
    vi.setSystemTime(T0 + 3_600_001);
    const waiting = session.getAccessToken();
    const outcome = waiting.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(29_000);
    expect(session.getSnapshot().pendingRequests).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(RefreshError);
    expect(error).toMatchObject({ code: 'REFRESH_NETWORK' });
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('a caller waiting through a transient failure gets the token of the next success', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    server.failNext('network', 'server');
    vi.setSystemTime(T0 + 3_600_001);
    const waiting = session.getAccessToken();
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(waiting).resolves.toMatch(/\./);
    expect(server.counts.refreshOk).toBe(1);
  });
});

describe('manual refresh()', () => {
  it('does not join a refresh already in flight: it waits and sends a new one (auth0-spa-js#1691)', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    const release = server.hold();
    const background = session.getAccessToken().catch(() => null);
    vi.setSystemTime(T0 + 3_500_000);
    void background;
    await vi.advanceTimersByTimeAsync(REFRESH_AT - 3_500_000 + 100_000);
    const inFlight = server.counts.refresh;
    const manual = session.refresh();
    release();
    await manual;
    expect(server.refreshRequests.length).toBe(inFlight + 1);
  });

  it('calls made while a refresh is in flight share the one refresh sent after it', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    await Promise.all([session.refresh(), session.refresh(), session.refresh(), session.refresh()]);
    // The first call starts one; the other three may not join it and share the next one.
    expect(server.counts.refreshOk).toBe(2);
  });

  it('rejects with the attempt’s RefreshError and does not back off', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    server.failNext('server');
    await expect(session.refresh()).rejects.toMatchObject({
      code: 'REFRESH_SERVER',
      kind: 'server',
      status: 503,
    });
    await expect(session.refresh()).resolves.toBeUndefined();
    expect(server.counts.refreshOk).toBe(1);
  });

  it('rejects when nobody is signed in, and after destroy', async () => {
    const { session, server } = setupSession();
    await expect(session.refresh()).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' });
    await session.login(server.login());
    session.destroy();
    await expect(session.refresh()).rejects.toBeInstanceOf(SessionError);
    await expect(session.refresh()).rejects.toMatchObject({ code: 'DESTROYED' });
  });
});

describe('single flight', () => {
  it('100 concurrent getAccessToken() calls with an expired token cause exactly one refresh', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    vi.setSystemTime(T0 + 3_600_001);
    const tokens = await Promise.all(Array.from({ length: 100 }, () => session.getAccessToken()));
    expect(server.counts.refresh).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });
});
