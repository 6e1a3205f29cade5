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

const lifetime = z.number().check(z.gt(0), z.lte(MAX_LIFETIME_S));
// Some servers send numbers as strings ("3600"); accept digits only.
const numeric = z.union([
  lifetime,
  z.pipe(z.string().check(z.regex(/^\d+(\.\d+)?$/)), z.transform(Number)),
]);
const epoch = z.number().check(z.gt(0), z.lt(1e15));
const nonEmpty = z.string().check(z.minLength(1));

const rawSchema = z.looseObject({
  access_token: z.optional(nonEmpty),
  accessToken: z.optional(nonEmpty),
  expires_in: z.optional(numeric),
  expiresIn: z.optional(numeric),
  expires_at: z.optional(epoch),
  expiresAt: z.optional(epoch),
  refresh_token: z.optional(nonEmpty),
  refreshToken: z.optional(nonEmpty),
  refresh_expires_in: z.optional(z.number().check(z.gte(0), z.lte(MAX_LIFETIME_S))),
  refreshExpiresIn: z.optional(z.number().check(z.gte(0), z.lte(MAX_LIFETIME_S))),
  refreshExpiresAt: z.optional(epoch),
  id_token: z.optional(nonEmpty),
  idToken: z.optional(nonEmpty),
  token_type: z.optional(z.string()),
  scope: z.optional(z.string()),
});

/** Validates what a custom `parseTokens` returns. */
export const tokenInputSchema = z.object({
  accessToken: nonEmpty,
  expiresIn: z.optional(lifetime),
  expiresAt: z.optional(epoch),
  refreshToken: z.optional(nonEmpty),
  refreshExpiresIn: z.optional(z.number().check(z.gte(0), z.lte(MAX_LIFETIME_S))),
  refreshExpiresAt: z.optional(epoch),
  idToken: z.optional(nonEmpty),
});

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
 * `refreshToken`). A JSON string is parsed first. Throws {@link TokenResponseError}.
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
  const result = rawSchema.safeParse(data);
  if (!result.success) throw new TokenResponseError(result.error.issues);
  const r = result.data;
  const accessToken = r.access_token ?? r.accessToken;
  if (!accessToken)
    throw new TokenResponseError([issue('access_token is required', ['access_token'])]);
  const expiresAtRaw = r.expiresAt ?? r.expires_at;
  return {
    accessToken,
    expiresIn: r.expires_in ?? r.expiresIn,
    expiresAt: expiresAtRaw === undefined ? undefined : toMs(expiresAtRaw),
    refreshToken: r.refresh_token ?? r.refreshToken,
    refreshExpiresIn: r.refresh_expires_in ?? r.refreshExpiresIn,
    refreshExpiresAt: r.refreshExpiresAt,
    idToken: r.id_token ?? r.idToken,
  };
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
