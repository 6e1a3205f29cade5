/**
 * A fake token server for unit tests, injected as `env.fetch`: issues JWT access tokens, rotates
 * refresh tokens and rejects the reuse of a rotated one (revoking the family, as real servers
 * do), protects `/api/*`, and counts everything. Time comes from `now` (fake timers by default).
 */
export interface FakeServerOptions {
  accessTtlS?: number;
  refreshTtlS?: number;
  now?: () => number;
  origin?: string;
}

interface RefreshRecord {
  user: string;
  family: number;
  used: boolean;
  expiresAt: number;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function jwt(claims: Record<string, unknown>): string {
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2ln`;
}

type Failure =
  | 'network'
  | 'server'
  | 'invalid_grant'
  | 'html'
  | 'bad-json'
  | { status: number; body?: unknown; headers?: Record<string, string> };

export function createFakeServer(options: FakeServerOptions = {}) {
  const now = options.now ?? (() => Date.now());
  const origin = options.origin ?? 'https://app.test';
  let accessTtlS = options.accessTtlS ?? 3600;
  const refreshTtlS = options.refreshTtlS ?? 86_400;
  const access = new Map<string, { user: string; expiresAt: number; family: number }>();
  const refresh = new Map<string, RefreshRecord>();
  const revokedFamilies = new Set<number>();
  const failures: Failure[] = [];
  let seq = 0;
  let family = 0;
  const gates = new Set<{ match: (url: URL) => boolean; promise: Promise<void> }>();
  const apiFailures: number[] = [];
  const logoutFailures: { status: number; body?: unknown }[] = [];
  /** How an API request with a refused token is answered (a plain 401 unless `refuseWith`). */
  let refusal: { status: number; body: unknown } | null = null;
  const counts = { refresh: 0, refreshOk: 0, reuse: 0, api: 0, unauthorized: 0, logout: 0 };
  const requests: {
    url: string;
    method: string;
    authorization: string | null;
    body: string;
    /** The body's exact bytes. */
    bytes: Uint8Array;
    headers: Headers;
  }[] = [];

  function issue(user: string, fam = ++family) {
    const n = ++seq;
    const iat = Math.floor(now() / 1000);
    const accessToken = jwt({ sub: user, iat, exp: iat + accessTtlS, n });
    const refreshToken = `rt-${user}-${n}`;
    access.set(accessToken, { user, expiresAt: now() + accessTtlS * 1000, family: fam });
    refresh.set(refreshToken, {
      user,
      family: fam,
      used: false,
      expiresAt: now() + refreshTtlS * 1000,
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: accessTtlS,
      refresh_token: refreshToken,
    };
  }

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });

  async function handleRefresh(body: string): Promise<Response> {
    counts.refresh++;
    const failure = failures.shift();
    if (failure === 'network') throw new TypeError('Failed to fetch');
    if (failure === 'server') return json(503, { error: 'temporarily_unavailable' });
    if (failure === 'invalid_grant') return json(400, { error: 'invalid_grant' });
    if (failure === 'html')
      return new Response('<html><body>Bad Gateway</body></html>', { status: 200 });
    if (failure === 'bad-json') return json(200, { access_token: 42 });
    if (typeof failure === 'object')
      return json(failure.status, failure.body ?? {}, failure.headers);
    const token = new URLSearchParams(body).get('refresh_token') ?? '';
    const record = refresh.get(token);
    if (!record || revokedFamilies.has(record.family) || record.expiresAt <= now()) {
      return json(400, { error: 'invalid_grant' });
    }
    if (record.used) {
      counts.reuse++;
      revokedFamilies.add(record.family);
      return json(400, { error: 'invalid_grant', error_description: 'reuse detected' });
    }
    record.used = true;
    counts.refreshOk++;
    return json(200, issue(record.user, record.family));
  }

  function authorized(header: string | null) {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
    const record = access.get(token);
    return record && record.expiresAt > now() && !revokedFamilies.has(record.family)
      ? record
      : null;
  }

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(
      input instanceof Request ? input : new URL(String(input), origin),
      init,
    );
    const url = new URL(request.url);
    const bytes = new Uint8Array(request.body ? await request.arrayBuffer() : new ArrayBuffer(0));
    const body = new TextDecoder().decode(bytes);
    requests.push({
      url: request.url,
      method: request.method,
      authorization: request.headers.get('Authorization'),
      body,
      bytes,
      headers: new Headers(request.headers),
    });
    for (const gate of [...gates]) if (gate.match(url)) await gate.promise;
    if (url.pathname === '/token') return handleRefresh(body);
    if (url.pathname === '/logout') {
      counts.logout++;
      const failure = logoutFailures.shift();
      return failure ? json(failure.status, failure.body ?? {}) : json(200, {});
    }
    counts.api++;
    const failure = apiFailures.shift();
    if (failure !== undefined) return json(failure, { error: `status ${failure}` });
    const record = authorized(request.headers.get('Authorization'));
    if (!record) {
      counts.unauthorized++;
      if (refusal) return json(refusal.status, refusal.body);
      return json(
        401,
        { error: 'invalid_token' },
        { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      );
    }
    return json(200, {
      user: record.user,
      path: url.pathname,
      method: request.method,
      contentType: request.headers.get('Content-Type'),
      body,
    });
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    counts,
    requests,
    /** A login response for `user`. */
    login: (user = 'alice') => issue(user),
    /** The next refresh calls fail like this, in order. */
    failNext: (...kinds: Failure[]) => failures.push(...kinds),
    /** Revoke every session of `user`: their tokens get 401 and their refresh token invalid_grant. */
    revoke(user: string) {
      for (const r of refresh.values()) if (r.user === user) revokedFamilies.add(r.family);
    },
    setAccessTtl(seconds: number) {
      accessTtlS = seconds;
    },
    /**
     * Hold every response (or only those whose path starts with `pathPrefix`) until the returned
     * function is called. Several holds may be active at once; each releases its own.
     */
    hold(pathPrefix?: string): () => void {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = () => {
          gates.delete(gate);
          resolve();
        };
      });
      const gate = {
        match: (url: URL) => pathPrefix === undefined || url.pathname.startsWith(pathPrefix),
        promise,
      };
      gates.add(gate);
      return release;
    },
    /** The access tokens issued so far (of `user`, or everyone's) get 401; refresh still works. */
    invalidateAccess(user?: string) {
      for (const [token, record] of access) if (!user || record.user === user) access.delete(token);
    },
    /** The next API calls answer with these statuses, in order (no token check). */
    failApiNext(...statuses: number[]) {
      apiFailures.push(...statuses);
    },
    /**
     * API requests with a refused token are answered like this instead of the 401 (a 419, a 403
     * with a body, a GraphQL 200 with `errors`); `null` restores the 401.
     */
    refuseWith(answer: { status: number; body?: unknown } | null) {
      refusal = answer && { status: answer.status, body: answer.body ?? {} };
    },
    /** The next `/logout` calls answer like this, in order (then 200 again). */
    failLogoutNext(...answers: { status: number; body?: unknown }[]) {
      logoutFailures.push(...answers);
    },
    /** The API requests (not `/token` or `/logout`), in the order they arrived. */
    get apiRequests() {
      return requests.filter((r) => !['/token', '/logout'].includes(new URL(r.url).pathname));
    },
    get refreshRequests() {
      return requests.filter((r) => new URL(r.url).pathname === '/token');
    },
  };
}

export type FakeServer = ReturnType<typeof createFakeServer>;
