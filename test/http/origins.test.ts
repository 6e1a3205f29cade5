import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearer, settle, track } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const authOf = (server: { requests: { url: string; authorization: string | null }[] }) =>
  Object.fromEntries(server.requests.map((r) => [r.url, r.authorization]));

describe('which origins receive the token', () => {
  it('session.http: the page origin and the http.prefix origin, never a third party', async () => {
    const { session, server } = setupSession({ http: { prefix: 'https://api.test/v1' } });
    const login = server.login();
    await session.login(login);
    await session.http.get('me');
    // ky 2 joins a string with the prefix; absolute URLs are given as URL objects.
    await session.http.get(new URL(`${ORIGIN}/api/page`));
    await session.http.get(new URL('https://cdn.other.test/lib.js'), { throwHttpErrors: false });
    await session.http.get(new URL('https://api.test.evil.test/x'), { throwHttpErrors: false });
    expect(authOf(server)).toEqual({
      'https://api.test/v1/me': bearer(login),
      [`${ORIGIN}/api/page`]: bearer(login),
      'https://cdn.other.test/lib.js': null,
      'https://api.test.evil.test/x': null,
    });
  });

  it('session.fetch: a relative URL is the page origin; other origins get no token', async () => {
    const { session, server } = setupSession({ http: { prefix: 'https://api.test' } });
    const login = server.login();
    await session.login(login);
    await session.fetch('/api/a');
    await session.fetch(new URL('https://api.test/b'));
    await session.fetch(new Request('https://api.test/c'));
    await session.fetch('http://api.test/d'); // another scheme is another origin
    await session.fetch('https://api.test:8443/e'); // another port too
    await session.fetch('https://tracker.other.test/f', { headers: { 'X-Trace': '1' } });
    expect(authOf(server)).toEqual({
      [`${ORIGIN}/api/a`]: bearer(login),
      'https://api.test/b': bearer(login),
      'https://api.test/c': bearer(login),
      'http://api.test/d': null,
      'https://api.test:8443/e': null,
      'https://tracker.other.test/f': null,
    });
  });

  it('the http.baseUrl origin is authorized like prefix', async () => {
    const { session, server } = setupSession({ http: { baseUrl: 'https://base.test/api/' } });
    const login = server.login();
    await session.login(login);
    await session.http.get('items');
    await session.fetch('https://base.test/other');
    expect(authOf(server)).toEqual({
      'https://base.test/api/items': bearer(login),
      'https://base.test/other': bearer(login),
    });
  });

  it('authorizedOrigins, when given, are exactly the origins that get the token', async () => {
    const { session, server } = setupSession({
      http: { prefix: 'https://api.test' },
      authorizedOrigins: ['https://one.test', 'https://two.test:8443/ignored/path'],
    });
    const login = server.login();
    await session.login(login);
    await session.fetch('https://one.test/a');
    await session.fetch('https://two.test:8443/b');
    await session.http.get('c', { throwHttpErrors: false }); // the prefix origin is not listed
    await session.fetch('/d'); // nor the page origin
    expect(authOf(server)).toEqual({
      'https://one.test/a': bearer(login),
      'https://two.test:8443/b': bearer(login),
      'https://api.test/c': null,
      [`${ORIGIN}/d`]: null,
    });
  });

  it('authorizedOrigins entries that are not absolute origins authorize nothing', async () => {
    const { session, server } = setupSession({
      authorizedOrigins: ['api.test', 'https:', '/relative', 'https://ok.test'],
    });
    const login = server.login();
    await session.login(login);
    for (const url of ['https://ok.test/a', 'https://api.test/b', 'https://evil.test/c', '/d']) {
      await session.fetch(url);
    }
    expect(authOf(server)).toEqual({
      'https://ok.test/a': bearer(login),
      'https://api.test/b': null,
      'https://evil.test/c': null,
      [`${ORIGIN}/d`]: null,
    });
  });

  it('a Request object is matched on its origin exactly (no look-alike prefix)', async () => {
    const { session, server } = setupSession({ authorizedOrigins: ['https://api.test'] });
    const login = server.login();
    await session.login(login);
    const urls = [
      'https://api.test/ok',
      'https://api.test.evil.test/x',
      'https://api.test:8443/x',
      'http://api.test/x',
    ];
    for (const url of urls) await session.fetch(new Request(url));
    expect(server.requests.map((r) => r.authorization)).toEqual([bearer(login), null, null, null]);
  });

  it('a third-party request goes out at once, even while the session waits for a refresh', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    const release = server.hold('/token');
    const refreshing = session.refresh();
    await settle();
    expect(session.getSnapshot().status).toBe('refreshing');

    const own = track(session.fetch('/api/own'));
    const thirdParty = track(
      session.http.get(new URL('https://cdn.other.test/x.js'), { throwHttpErrors: false }),
    );
    await settle();
    expect(thirdParty.settled).toBe(true);
    expect(own.settled).toBe(false);
    expect(session.getSnapshot().pendingRequests).toBe(1);
    expect(server.requests.find((r) => r.url.includes('cdn'))?.authorization).toBeNull();

    release();
    await refreshing;
    await settle();
    expect(own.settled).toBe(true);
  });

  it('a third-party request goes out at once while the session is expired', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    session.expire();
    const response = await session.fetch('https://cdn.other.test/x.js');
    expect(response.status).toBe(401); // the fake server protects every path
    expect(server.requests.at(-1)?.authorization).toBeNull();
    expect(session.getSnapshot().pendingRequests).toBe(0);
  });
});
