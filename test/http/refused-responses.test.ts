import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSessionError, type SessionOptions } from '../../src/index';
import { apiAuth, bearer, settle, track } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;
const UNAUTHENTICATED = {
  errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }],
};

type GraphQLBody = { errors?: { extensions?: { code?: unknown } }[] } | null;

/** The README's GraphQL recipe: a 401, or a JSON answer whose errors say UNAUTHENTICATED. */
const graphqlRefusal = async (response: Response) => {
  if (response.status === 401) return true;
  if (!response.headers.get('content-type')?.includes('json')) return false;
  const body = (await response.json().catch(() => null)) as GraphQLBody;
  return body?.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED') ?? false;
};

/** Signed in with `isUnauthorized`; the access token held is already refused by the server. */
async function staleSession(isUnauthorized: NonNullable<SessionOptions['isUnauthorized']>) {
  const setup = setupSession({ http: { prefix: API }, isUnauthorized });
  const login = setup.server.login();
  await setup.session.login(login);
  setup.server.invalidateAccess();
  return { ...setup, login };
}

describe('isUnauthorized: responses other than a 401 that mean the token was refused', () => {
  it('GraphQL: a 200 with errors[].extensions.code UNAUTHENTICATED is refreshed once and replayed once', async () => {
    const { session, server, login } = await staleSession(graphqlRefusal);
    server.refuseWith({ status: 200, body: UNAUTHENTICATED });
    const query = { query: '{ me { name } }' };
    const result = await session.http.post('graphql', { json: query }).json();
    expect(result).toMatchObject({ user: 'alice', path: '/api/graphql' });
    const fresh = `Bearer ${await session.getAccessToken()}`;
    expect(apiAuth(server)).toEqual([bearer(login), fresh]);
    expect(server.apiRequests.map((r) => r.body)).toEqual([
      JSON.stringify(query),
      JSON.stringify(query),
    ]);
    expect(server.refreshRequests).toHaveLength(1);
  });

  it('GraphQL: 10 refused queries at once share one refresh, and each is replayed once', async () => {
    const { session, server } = await staleSession(graphqlRefusal);
    server.refuseWith({ status: 200, body: UNAUTHENTICATED });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => session.http.post('graphql', { json: { i } }).json()),
    );
    expect(results).toHaveLength(10);
    expect(server.refreshRequests).toHaveLength(1);
    expect(server.apiRequests).toHaveLength(20);
  });

  it('a 419 is refreshed and replayed; when the newest token gets one too the session expires (unauthorized) and holds the request', async () => {
    const refused419 = (response: Response) => response.status === 401 || response.status === 419;
    const { session, server, ofType } = await staleSession(refused419);
    server.refuseWith({ status: 419 });
    expect((await session.fetch('/api/a')).status).toBe(200);
    expect(server.refreshRequests).toHaveLength(1);

    server.failApiNext(419, 419); // the current token and the refreshed one
    const call = track(session.fetch('/api/b', { method: 'POST', body: 'v=2' }));
    await settle();
    expect(ofType('expired')).toEqual([{ reason: 'unauthorized' }]);
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', pendingRequests: 1 });
    expect(server.apiRequests).toHaveLength(4); // a: try + replay; b: try + replay, no loop
    await session.login(server.login('alice'));
    await settle();
    expect((call.value as Response).status).toBe(200);
    expect(server.apiRequests.at(-1)?.body).toBe('v=2');
  });

  it('a 403 whose body says the token expired is replayed; another 403 is the app’s answer, body readable', async () => {
    const expiredToken = async (response: Response) =>
      response.status === 403 && (await response.json()).error === 'token_expired';
    const { session, server } = await staleSession(expiredToken);
    server.refuseWith({ status: 403, body: { error: 'token_expired' } });
    expect((await session.fetch('/api/doc')).status).toBe(200);
    expect(server.refreshRequests).toHaveLength(1);

    server.failApiNext(403); // a real "forbidden": { error: 'status 403' }
    const forbidden = await session.fetch('/api/admin');
    expect(forbidden.status).toBe(403);
    expect(forbidden.bodyUsed).toBe(false);
    expect(await forbidden.json()).toEqual({ error: 'status 403' });
    expect(server.refreshRequests).toHaveLength(1);
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('the app reads the body of a response that was not flagged, although the check read its own copy', async () => {
    const check = vi.fn(async (response: Response) => (await response.text()).includes('nope'));
    const { session, server } = setupSession({ isUnauthorized: check });
    await session.login(server.login());
    const response = await session.fetch('/api/me');
    expect(check).toHaveBeenCalledTimes(1);
    expect(check.mock.calls[0]?.[0]).not.toBe(response);
    expect(await response.json()).toMatchObject({ user: 'alice', path: '/api/me' });
  });

  it('a check that throws (a body that is not JSON) counts as “not refused”: the response is returned', async () => {
    const check = vi.fn(async (response: Response) => {
      const text = await response.text();
      return (JSON.parse(text.slice(1)) as GraphQLBody)?.errors !== undefined;
    });
    const { session, server } = setupSession({ isUnauthorized: check });
    await session.login(server.login());
    const response = await session.fetch('/api/x');
    expect(check).toHaveBeenCalledTimes(1);
    await expect(check.mock.results[0]?.value).rejects.toBeInstanceOf(SyntaxError);
    expect(await response.json()).toMatchObject({ path: '/api/x' });
    expect(server.refreshRequests).toHaveLength(0);
  });

  it('a refused stream body fails with BODY_NOT_REPLAYABLE; its response stays readable as the cause', async () => {
    const { session, server } = await staleSession(graphqlRefusal);
    server.refuseWith({ status: 200, body: UNAUTHENTICATED });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"{ me }"}'));
        controller.close();
      },
    });
    const init = { method: 'POST', body, duplex: 'half' } as RequestInit;
    const error = await session.fetch(`${API}/graphql`, init).catch((e: unknown) => e);
    expect(isSessionError(error, 'BODY_NOT_REPLAYABLE')).toBe(true);
    expect(await ((error as Error).cause as Response).json()).toEqual(UNAUTHENTICATED);
    await settle();
    expect(server.apiRequests).toHaveLength(1);
    expect(server.refreshRequests).toHaveLength(1); // renewed for the app's own retry
  });

  it('is not asked about requests sent without a token (signed out, other origins, skipAuth)', async () => {
    const check = vi.fn((_: Response) => false);
    const { session, server } = setupSession({ isUnauthorized: check });
    await session.fetch('/api/anonymous');
    await session.login(server.login());
    await session.fetch('/api/public', { skipAuth: true });
    await session.fetch('https://cdn.example/lib.js');
    expect(check).not.toHaveBeenCalled();
    await session.fetch('/api/me'); // with the token: asked
    expect(check).toHaveBeenCalledTimes(1);
  });
});

describe('the default (only a 401 means the token was refused)', () => {
  /** A fetch whose responses have every body access spied. */
  function spiedFetch(forward: () => typeof fetch) {
    const reads = vi.fn();
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await forward()(input, init);
      for (const method of ['clone', 'text', 'json', 'arrayBuffer', 'blob', 'formData'] as const) {
        const original = response[method].bind(response);
        Object.defineProperty(response, method, {
          value: (...args: unknown[]) => {
            reads(method);
            return (original as (...a: unknown[]) => unknown)(...args);
          },
        });
      }
      const body = Object.getOwnPropertyDescriptor(Response.prototype, 'body')?.get;
      Object.defineProperty(response, 'body', {
        get() {
          reads('body');
          return body?.call(response);
        },
      });
      return response;
    }) as typeof globalThis.fetch;
    return { fetch, reads };
  }

  it('reads no body and makes no copy of a 200 or of a 403', async () => {
    let forward: typeof fetch = globalThis.fetch;
    const { fetch, reads } = spiedFetch(() => forward);
    const { session, server } = setupSession({ env: { fetch } });
    forward = server.fetch;
    await session.login(server.login());
    const ok = await session.fetch('/api/me');
    server.failApiNext(403);
    const forbidden = await session.fetch('/api/admin');
    expect(reads).not.toHaveBeenCalled();
    expect([ok.status, forbidden.status]).toEqual([200, 403]);
    expect(server.refreshRequests).toHaveLength(0);
  });

  it('a 419 or a GraphQL UNAUTHENTICATED 200 is returned as is', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    server.invalidateAccess();
    server.refuseWith({ status: 419 });
    expect((await session.fetch('/api/a')).status).toBe(419);
    server.refuseWith({ status: 200, body: UNAUTHENTICATED });
    expect(await (await session.fetch('/api/b')).json()).toEqual(UNAUTHENTICATED);
    expect(server.refreshRequests).toHaveLength(0);
  });
});
