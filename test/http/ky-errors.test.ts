import { HTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle, track } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

async function signedIn(http: Record<string, unknown> = {}) {
  const setup = setupSession({ http: { prefix: API, ...http } });
  await setup.session.login(setup.server.login());
  return setup;
}

describe('ky’s own behaviour through session.http', () => {
  it('a GET that gets a 503 is retried by ky, with the token each time', async () => {
    const { session, server } = await signedIn();
    server.failApiNext(503);
    const call = track(session.http.get('flaky').json());
    await settle();
    expect(call.settled).toBe(false); // ky waits before its retry
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    expect(call.value).toMatchObject({ path: '/api/flaky' });
    const token = `Bearer ${await session.getAccessToken()}`;
    expect(server.apiRequests.map((r) => r.authorization)).toEqual([token, token]);
    expect(server.refreshRequests).toEqual([]);
  });

  it('a final 5xx surfaces as ky’s HTTPError after ky’s retries', async () => {
    const { session, server } = await signedIn({ retry: { limit: 2 } });
    server.failApiNext(503, 503, 503);
    const call = session.http.get('down').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    const error = await call;
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).response.status).toBe(503);
    expect(server.apiRequests).toHaveLength(3);
  });

  it('a 4xx other than 401 surfaces as HTTPError at once: no refresh, no replay', async () => {
    const { session, server } = await signedIn();
    server.failApiNext(404);
    const error = await session.http.get('missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).response.status).toBe(404);
    expect(server.apiRequests).toHaveLength(1);
    server.failApiNext(403);
    await expect(session.http.delete('forbidden')).rejects.toMatchObject({
      response: { status: 403 },
    });
    expect(server.refreshRequests).toEqual([]);
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('a POST that gets a 503 is not retried by ky (its default), and is not replayed by the session', async () => {
    const { session, server } = await signedIn();
    server.failApiNext(503);
    await expect(session.http.post('orders', { json: { n: 1 } })).rejects.toBeInstanceOf(HTTPError);
    expect(server.apiRequests).toHaveLength(1);
  });

  it('a 401 replay and a 503 retry combine: refresh once, then ky retries with the new token', async () => {
    const { session, server } = await signedIn();
    server.invalidateAccess();
    const call = track(session.http.get('both').json());
    await settle();
    // The replay after the refresh got 200 here; now make the next call meet 503 then 200.
    expect(call.value).toMatchObject({ path: '/api/both' });
    server.failApiNext(503);
    const second = track(session.http.get('again').json());
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    expect(second.value).toMatchObject({ path: '/api/again' });
    expect(server.refreshRequests).toHaveLength(1);
  });
});
