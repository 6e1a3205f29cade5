import * as z from 'zod/mini';
import { type TokenIssue, TokenResponseError } from './errors';
import { decodeJwtClaims, type JwtClaims } from './jwt';

/** What `parseTokens` returns: the token response in sessionkeeper's terms. */
export interface TokenInput {
  accessToken: string;
  /** Lifetime of the access token in seconds, counted from when the response arrived. */
  expiresIn?: number | undefined;
  /** Expiry of the access token in epoch ms on the server's clock. */
  expiresAt?: number | undefined;
  refreshToken?: string | undefined;
  /** Lifetime of the refresh token in seconds (Keycloak's `refresh_expires_in`). */
  refreshExpiresIn?: number | undefined;
  /** Expiry of the refresh token in epoch ms on the server's clock. */
  refreshExpiresAt?: number | undefined;
  idToken?: string | undefined;
}

/** Ten years: a longer lifetime is a server bug (or ms sent as seconds), not a session. */
export const MAX_LIFETIME_S = 315_360_000;

const nonNegative = z.number().check(z.gte(0), z.lte(MAX_LIFETIME_S));
const epoch = z.number().check(z.gt(0), z.lt(1e15));
const nonEmpty = z.string().check(z.minLength(1));
const optional = z.optional;

/** Validates a {@link TokenInput} (also what a custom `parseTokens` returns). */
export const tokenInputSchema = z.object({
  accessToken: nonEmpty,
  expiresIn: optional(z.number().check(z.gt(0), z.lte(MAX_LIFETIME_S))),
  expiresAt: optional(epoch),
  refreshToken: optional(nonEmpty),
  refreshExpiresIn: optional(nonNegative),
  refreshExpiresAt: optional(epoch),
  idToken: optional(nonEmpty),
});

/** A held token set, as stored and as sent to other tabs (validated when read back). */
export const tokenSetSchema = z.object({
  accessToken: nonEmpty,
  refreshToken: optional(z.string()),
  idToken: optional(z.string()),
  obtainedAt: epoch,
  expiresAt: epoch,
  refreshExpiresAt: optional(z.number()),
  startedAt: optional(z.number()),
  userId: optional(z.string()),
  claims: z.record(z.string(), z.unknown()),
});

/** RFC 6749 names → TokenInput names. */
const SNAKE: Record<string, keyof TokenInput> = {
  access_token: 'accessToken',
  expires_in: 'expiresIn',
  expires_at: 'expiresAt',
  refresh_token: 'refreshToken',
  refresh_expires_in: 'refreshExpiresIn',
  id_token: 'idToken',
};

function issue(message: string, path: PropertyKey[] = [], code = 'custom'): TokenIssue {
  return { code, path, message };
}

/** Seconds since the epoch or ms since the epoch? Anything before 1973 in ms is seconds. */
const toMs = (value: number) => (value < 1e11 ? value * 1000 : value);

function decodeJson(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch (cause) {
    const preview = raw.trimStart().startsWith('<') ? 'an HTML page' : 'not JSON';
    throw new TokenResponseError([issue(`The response is ${preview}`, [], 'invalid_json')], {
      cause,
    });
  }
}

/**
 * The default `parseTokens`: an RFC 6749 §5.1 response (`access_token`, `expires_in`, optional
 * `refresh_token`, …) or its camelCase form (`accessToken`, `expiresIn`/`expiresAt`,
 * `refreshToken`). A JSON string is parsed first; numeric strings ("3600") are accepted.
 * Throws {@link TokenResponseError}.
 * @example
 * parseTokenResponse({ access_token: 'eyJ…', expires_in: 3600, token_type: 'Bearer' })
 */
export function parseTokenResponse(raw: unknown): TokenInput {
  const data = decodeJson(raw);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TokenResponseError([
      issue('The token response must be a JSON object', [], 'invalid_type'),
    ]);
  }
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const name = SNAKE[key] ?? key;
    if (value === undefined || !(name in tokenInputSchema.shape) || name in input) continue;
    // Some servers send numbers as strings; seconds or ms since the epoch for absolute times.
    const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    input[name] = name.endsWith('At') && typeof number === 'number' ? toMs(number) : number;
  }
  if (input.accessToken === undefined) {
    throw new TokenResponseError([issue('access_token is required', ['access_token'])]);
  }
  const result = tokenInputSchema.safeParse(input);
  if (!result.success) throw new TokenResponseError(result.error.issues);
  return result.data;
}

/** The token set a session holds. Times are on the local clock, in epoch ms. */
export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken?: string | undefined;
  readonly idToken?: string | undefined;
  /** When the response arrived (local clock); orders token sets across tabs. */
  readonly obtainedAt: number;
  readonly expiresAt: number;
  /** When the refresh credential stops working, when the server said. */
  readonly refreshExpiresAt?: number | undefined;
  /** When the user signed in (the login that started this chain of refreshes). */
  readonly startedAt?: number | undefined;
  readonly userId?: string | undefined;
  readonly claims: JwtClaims;
}

export type UserIdFn = (claims: JwtClaims, response: unknown) => string | undefined;

/** The default `userId`: the access token's `sub`, else the id token's `sub`. */
export const defaultUserId: UserIdFn = (claims, response) => {
  if (typeof claims.sub === 'string' && claims.sub) return claims.sub;
  const idToken =
    response && typeof response === 'object'
      ? ((response as Record<string, unknown>).id_token ??
        (response as Record<string, unknown>).idToken)
      : undefined;
  const sub = typeof idToken === 'string' ? decodeJwtClaims(idToken)?.sub : undefined;
  return typeof sub === 'string' && sub ? sub : undefined;
};

/** Lifetime in ms of an absolute server-clock expiry, measured with the token's own `iat`. */
function lifetimeFromAbsolute(expiresAtMs: number, claims: JwtClaims, receivedAt: number): number {
  return typeof claims.iat === 'number'
    ? expiresAtMs - claims.iat * 1000
    : expiresAtMs - receivedAt;
}

/**
 * Turn a parsed token response into a token set on the local clock: expiry = the moment the
 * response arrived + its lifetime, so a client whose clock is wrong still refreshes on time.
 */
export function toTokenSet(
  input: unknown,
  raw: unknown,
  receivedAt: number,
  userIdFn: UserIdFn = defaultUserId,
): TokenSet {
  const checked = tokenInputSchema.safeParse(input);
  if (!checked.success) throw new TokenResponseError(checked.error.issues);
  const t = checked.data;
  const claims =
    decodeJwtClaims(t.accessToken) ?? (t.idToken ? decodeJwtClaims(t.idToken) : null) ?? {};
  const accessClaims = decodeJwtClaims(t.accessToken) ?? {};
  let lifetimeMs: number | undefined;
  if (t.expiresIn !== undefined) lifetimeMs = t.expiresIn * 1000;
  else if (t.expiresAt !== undefined)
    lifetimeMs = lifetimeFromAbsolute(t.expiresAt, accessClaims, receivedAt);
  else if (typeof accessClaims.exp === 'number') {
    lifetimeMs = lifetimeFromAbsolute(accessClaims.exp * 1000, accessClaims, receivedAt);
  }
  if (lifetimeMs === undefined) {
    throw new TokenResponseError([
      issue(
        'The token response has no expires_in, no expiresAt and no JWT exp claim: supply parseTokens',
        ['expires_in'],
      ),
    ]);
  }
  if (!(lifetimeMs > 0) || lifetimeMs > MAX_LIFETIME_S * 1000) {
    throw new TokenResponseError([
      issue(`The token lifetime (${lifetimeMs} ms) is not usable`, ['expires_in']),
    ]);
  }
  let refreshExpiresAt: number | undefined;
  if (t.refreshExpiresIn !== undefined && t.refreshExpiresIn > 0) {
    // Keycloak sends 0 for "never expires" (offline tokens).
    refreshExpiresAt = receivedAt + t.refreshExpiresIn * 1000;
  } else if (t.refreshExpiresAt !== undefined) {
    refreshExpiresAt =
      receivedAt + lifetimeFromAbsolute(t.refreshExpiresAt, accessClaims, receivedAt);
  } else if (t.refreshToken) {
    const refreshClaims = decodeJwtClaims(t.refreshToken);
    if (typeof refreshClaims?.exp === 'number') {
      refreshExpiresAt =
        receivedAt + lifetimeFromAbsolute(refreshClaims.exp * 1000, refreshClaims, receivedAt);
    }
  }
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    idToken: t.idToken,
    obtainedAt: receivedAt,
    expiresAt: receivedAt + lifetimeMs,
    refreshExpiresAt,
    userId: userIdFn(claims, raw),
    claims,
  };
}
