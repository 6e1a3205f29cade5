import {
  REFRESH_COOKIE,
  type RunningMockAuth,
  type StartOptions,
  startMockAuthServer,
} from '../../playground/server/index';

/** 2030-01-01T00:00:00.000Z: the mock server's clock starts here in tests. */
export const START_MS = Date.UTC(2030, 0, 1);

export interface TestAuth {
  server: RunningMockAuth;
  url: string;
  /** Move the server's clock forward (no real waiting). */
  advance(ms: number): void;
  now(): number;
  /** `fetch` relative to the server. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** POST a JSON body (a string is sent as is, for malformed JSON). */
  postJson(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** POST an `application/x-www-form-urlencoded` body. */
  postForm(
    path: string,
    params: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** GET with `Authorization: Bearer <token>`. */
  getApi(path: string, token: string): Promise<Response>;
  close(): Promise<void>;
}

/** Start the standalone mock server on a free port with an injected clock. */
export async function startTestAuth(options: StartOptions = {}): Promise<TestAuth> {
  let now = START_MS;
  const server = await startMockAuthServer({ now: () => now, ...options });
  const request = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
  return {
    server,
    url: server.url,
    advance: (ms) => {
      now += ms;
    },
    now: () => now,
    request,
    postJson: (path, body, headers = {}) =>
      request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    postForm: (path, params, headers = {}) =>
      request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params).toString(),
      }),
    getApi: (path, token) => request(path, { headers: { authorization: `Bearer ${token}` } }),
    close: () => server.close(),
  };
}

/** The refresh cookie a response sets: its value and attributes (`undefined` when none). */
export function refreshCookie(res: Response): { value: string; attributes: string } | undefined {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  if (header === undefined) return undefined;
  const [pair = '', ...attributes] = header.split(';');
  return { value: pair.slice(REFRESH_COOKIE.length + 1), attributes: attributes.join(';').trim() };
}

/** A `Cookie` header carrying the refresh token. */
export function cookieHeader(value: string): Record<string, string> {
  return { cookie: `${REFRESH_COOKIE}=${value}` };
}

/** Decode one base64url JSON segment of a JWT. */
export function jwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8'));
}

export interface LoginResult {
  accessToken: string;
  /** The refresh token: from the cookie (cookie mode) or the body (body mode). */
  refreshToken: string;
  body: Record<string, unknown>;
}

/** Log a demo user in and return the tokens. */
export async function login(
  auth: TestAuth,
  username: string,
  mode: 'cookie' | 'body' = 'cookie',
): Promise<LoginResult> {
  const res = await auth.postJson('/auth/login', { username, mode });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const body = (await res.json()) as Record<string, unknown>;
  const refreshToken = mode === 'cookie' ? refreshCookie(res)?.value : body.refresh_token;
  if (typeof refreshToken !== 'string') throw new Error('no refresh token');
  return { accessToken: body.access_token as string, refreshToken, body };
}
