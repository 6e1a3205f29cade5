import { HttpError, readCookies, readParams, sendJson, setCookie } from './http';
import { loginSchema, logoutSchema, refreshSchema, validate } from './schemas';
import type { IssuedTokens, RouteContext } from './types';

/** Name of the httpOnly refresh-token cookie (cookie mode). */
export const REFRESH_COOKIE = 'sk_refresh';
/** The cookie is sent only to the token endpoints. */
export const REFRESH_COOKIE_PATH = '/auth';
/**
 * A cookie the page can read (no secret in it: `1`), set and cleared with the refresh cookie: it
 * tells the page whether a start-up refresh (`probe`) can succeed, so a first visit sends none.
 */
export const SESSION_HINT_COOKIE = 'sk_session';

const clearCookies = [
  setCookie(REFRESH_COOKIE, '', REFRESH_COOKIE_PATH, 0),
  setCookie(SESSION_HINT_COOKIE, '', '/', 0, { readable: true }),
];

const REJECTED: Record<string, string> = {
  unknown: 'Unknown refresh token',
  expired: 'The refresh token has expired',
  revoked: 'The session was revoked',
  reused: 'The refresh token was already used; the session is revoked',
  injected: 'Injected failure (POST /mock/fail-next-refresh)',
};

function invalidGrant(reason: string, fromCookie: boolean): HttpError {
  const headers: Record<string, string[]> = fromCookie ? { 'Set-Cookie': clearCookies } : {};
  return new HttpError(400, 'invalid_grant', REJECTED[reason] ?? reason, headers);
}

/** Answer a token response, with the refresh token in an httpOnly cookie or in the body. */
function sendTokens(ctx: RouteContext, tokens: IssuedTokens, inCookie: boolean): void {
  if (inCookie) {
    const ttl = tokens.response.refresh_expires_in;
    const cookies = [
      setCookie(REFRESH_COOKIE, tokens.refreshToken, REFRESH_COOKIE_PATH, ttl),
      setCookie(SESSION_HINT_COOKIE, '1', '/', ttl, { readable: true }),
    ];
    sendJson(ctx.res, 200, tokens.response, { 'Set-Cookie': cookies });
  } else {
    sendJson(ctx.res, 200, { ...tokens.response, refresh_token: tokens.refreshToken });
  }
}

/** `POST /auth/login` — `{ username, password?, mode? }` (JSON or form; `?mode=body` also works). */
async function login(ctx: RouteContext): Promise<void> {
  const params = await readParams(ctx.req);
  const queryMode = ctx.url.searchParams.get('mode');
  const input = validate(loginSchema, {
    ...(queryMode === null ? {} : { mode: queryMode }),
    ...params,
  });
  const tokens = ctx.state.login(input.username, input.mode ?? 'cookie');
  if (tokens === null) throw new HttpError(401, 'invalid_credentials', 'Unknown user');
  sendTokens(ctx, tokens, tokens.family.mode === 'cookie');
}

/**
 * `POST /auth/refresh` (RFC 6749 §6). The token comes from the body (`refresh_token`, body mode:
 * the new one is answered in the body) or else from the cookie (cookie mode: the new one is set
 * as the cookie). A request with no token at all (a start-up probe with no session) is a 400
 * counted in `noSession`; every other failure counts in `refreshFailures`. Injected failures
 * are kept for a request that carries a token.
 */
async function refresh(ctx: RouteContext): Promise<void> {
  const { state } = ctx;
  let outcome: 'refreshed' | 'no-session' | 'failed' = 'failed';
  try {
    const params = validate(refreshSchema, await readParams(ctx.req));
    const cookie = readCookies(ctx.req).get(REFRESH_COOKIE);
    const fromBody = params.refresh_token !== undefined;
    const token = params.refresh_token ?? (cookie || undefined);
    if (token === undefined) {
      outcome = 'no-session';
      throw new HttpError(400, 'invalid_request', 'No refresh_token in the body and no cookie');
    }
    const failure = state.takeFailure();
    if (failure === 'network') {
      // Cut the connection after the first bytes of an answer: a browser silently resends a POST
      // whose reused keep-alive connection is reset before any answer, but not this one, so
      // fetch rejects ("Failed to fetch") as it would on a real network failure.
      ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '64' });
      ctx.res.write('{', () => ctx.res.destroy());
      return;
    }
    if (failure === 'server') throw new HttpError(500, 'server_error', REJECTED.injected!);
    if (params.grant_type !== undefined && params.grant_type !== 'refresh_token') {
      throw new HttpError(400, 'unsupported_grant_type', 'Only grant_type=refresh_token');
    }
    if (fromBody && params.grant_type === undefined) {
      throw new HttpError(400, 'invalid_request', 'grant_type is required');
    }
    if (failure === 'invalid_grant') throw invalidGrant('injected', !fromBody);
    const rotated = state.refresh(token);
    if (!rotated.ok) throw invalidGrant(rotated.reason, !fromBody);
    outcome = 'refreshed';
    sendTokens(ctx, rotated.tokens, !fromBody);
  } finally {
    if (outcome === 'failed') state.counters.refreshFailures++;
    if (outcome === 'no-session') state.counters.noSession++;
  }
}

/**
 * `POST /auth/logout` (RFC 7009): `token=` in the body (a refresh or an access token) or the
 * cookie. Revokes the session and clears the cookie; 200 even for an unknown token (RFC 7009 §2.2).
 */
async function logout(ctx: RouteContext): Promise<void> {
  const params = validate(logoutSchema, await readParams(ctx.req));
  const token = params.token ?? (readCookies(ctx.req).get(REFRESH_COOKIE) || undefined);
  if (token === undefined) {
    throw new HttpError(400, 'invalid_request', 'No token in the body and no cookie');
  }
  const revoked = ctx.state.revokeToken(token);
  ctx.state.counters.logouts++;
  sendJson(ctx.res, 200, { revoked }, { 'Set-Cookie': clearCookies });
}

const routes: Record<string, (ctx: RouteContext) => Promise<void>> = { login, refresh, logout };

/** Dispatch `/auth/<action>`; every action is a POST. */
export async function handleAuth(ctx: RouteContext, action: string): Promise<void> {
  const route = Object.hasOwn(routes, action) ? routes[action] : undefined;
  if (route === undefined) throw new HttpError(404, 'not_found', `No route ${ctx.url.pathname}`);
  if (ctx.req.method !== 'POST') {
    throw new HttpError(405, 'method_not_allowed', 'Use POST', { Allow: 'POST' });
  }
  await route(ctx);
}
