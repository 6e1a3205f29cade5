import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

describe('headers the app sets itself', () => {
  it('signed out: an Authorization header of the app’s own goes out unchanged (e.g. a login)', async () => {
    const { session, server } = setupSession();
    await session.fetch('/auth/login', {
      method: 'POST',
      headers: { Authorization: 'Basic dXNlcjpwdw==' },
      body: 'remember=1',
    });
    await session.fetch(
      new Request(`${ORIGIN}/auth/other`, { headers: { Authorization: 'Basic eA==' } }),
    );
    expect(server.requests.map((r) => r.authorization)).toEqual([
      'Basic dXNlcjpwdw==',
      'Basic eA==',
    ]);
  });
});

describe('an Authorization header the app set, on an authorized origin while signed in', () => {
  it('is replaced by the session’s token, never sent alongside it', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    await session.fetch('/api/a', { headers: { Authorization: 'Basic eA==' } });
    await session.fetch('/api/b', {
      method: 'POST',
      body: 'x',
      headers: { authorization: 'Basic eA==' },
    });
    const token = `Bearer ${await session.getAccessToken()}`;
    expect(server.apiRequests.map((r) => r.authorization)).toEqual([token, token]);
  });
});
