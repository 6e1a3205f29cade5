import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { skipAuthHook } from '../../src/http/client';
import { apiAuth, bearer, settle, track } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

describe('an app’s own ky instance', () => {
  it('ky.create({ prefix, fetch: session.fetch }) authorizes, waits and replays', async () => {
    const { session, server } = setupSession();
    const login = server.login();
    await session.login(login);
    const api = ky.create({ prefix: API, fetch: session.fetch });

    expect(await api.get('me').json()).toMatchObject({ user: 'alice' });
    server.invalidateAccess();
    expect(await api.post('notes', { json: { text: 'hi' } }).json()).toMatchObject({
      body: '{"text":"hi"}',
    });
    const fresh = `Bearer ${await session.getAccessToken()}`;
    expect(apiAuth(server)).toEqual([bearer(login), bearer(login), fresh]);
    expect(server.refreshRequests).toHaveLength(1);

    // It waits during a refresh like session.http.
    const release = server.hold('/token');
    const refreshing = session.refresh();
    const waiting = track(api.get('later').json());
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(1);
    release();
    await refreshing;
    await settle();
    expect(waiting.value).toMatchObject({ path: '/api/later' });
    expect(server.apiRequests.at(-1)?.authorization).toBe(
      `Bearer ${await session.getAccessToken()}`,
    );
  });

  it('ky.create with skipAuthHook honours context: { skipAuth: true }', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    const api = ky.create({
      prefix: API,
      fetch: session.fetch,
      hooks: { beforeRequest: [skipAuthHook] },
    });
    const response = await api.get('public', {
      context: { skipAuth: true },
      throwHttpErrors: false,
    });
    expect(response.status).toBe(401);
    expect(server.apiRequests[0]?.authorization).toBeNull();
    expect(server.refreshRequests).toEqual([]); // its 401 is the app's answer
    // Without the hook the context flag means nothing to session.fetch: the token is sent.
    const plain = ky.create({ prefix: API, fetch: session.fetch });
    await plain.get('x', { context: { skipAuth: true } });
    expect(server.apiRequests[1]?.authorization).toBe(`Bearer ${await session.getAccessToken()}`);
  });

  it('session.http.extend keeps the session’s behaviour and adds the app’s options and hooks', async () => {
    const { session, server } = setupSession({ http: { prefix: API } });
    const login = server.login();
    await session.login(login);
    const calls: string[] = [];
    const admin = session.http.extend({
      prefix: `${API}/admin`,
      headers: { 'X-App': 'demo' },
      hooks: { beforeRequest: [({ request }) => void calls.push(request.url)] },
    });
    server.invalidateAccess();
    const result = await admin.put('users/1', { json: { role: 'editor' } }).json();
    expect(result).toMatchObject({ path: '/api/admin/users/1', body: '{"role":"editor"}' });
    expect(calls).toEqual([`${API}/admin/users/1`]);
    const fresh = `Bearer ${await session.getAccessToken()}`;
    expect(apiAuth(server)).toEqual([bearer(login), fresh]);
    expect(server.apiRequests.map((r) => r.headers.get('x-app'))).toEqual(['demo', 'demo']);

    // The skip-auth context still works on the extended instance.
    await admin.get('open', { context: { skipAuth: true }, throwHttpErrors: false });
    expect(server.apiRequests.at(-1)?.authorization).toBeNull();
  });

  it('an existing instance extended with the session’s fetch', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    const existing = ky.create({ prefix: API, headers: { 'X-Existing': '1' } });
    const api = existing.extend({ fetch: session.fetch, hooks: { beforeRequest: [skipAuthHook] } });
    server.invalidateAccess();
    await api.delete('x');
    expect(server.apiRequests.map((r) => r.headers.get('x-existing'))).toEqual(['1', '1']);
    expect(server.apiRequests[1]?.authorization).toBe(`Bearer ${await session.getAccessToken()}`);
  });
});
