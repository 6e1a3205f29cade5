import * as z from 'zod/mini';
import { TokenResponseError } from '../lib/errors';
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
/**
 * One second: a shorter access-token lifetime could not carry even one request, and refreshing
 * at half of it would flood the token endpoint. Such a response is rejected.
 */
export const MIN_LIFETIME_MS = 1_000;

/** Seconds of lifetime, at most {@link MAX_LIFETIME_S}; `min` is the lower bound. */
const lifetime = (min: ReturnType<typeof z.gte>) => z.number().check(min, z.lte(MAX_LIFETIME_S));
const epoch = z.number().check(z.gt(0), z.lt(1e15));
const nonEmpty = z.string().check(z.minLength(1));
const optional = z.optional;
const text = optional(z.string());
const time = optional(z.number());

/** Validates a {@link TokenInput} (also what a custom `parseTokens` returns). */
export const tokenInputSchema = z.object({
  accessToken: nonEmpty,
  expiresIn: optional(lifetime(z.gt(0))),
  expiresAt: optional(epoch),
  refreshToken: optional(nonEmpty),
  refreshExpiresIn: optional(lifetime(z.gte(0))),
  refreshExpiresAt: optional(epoch),
  idToken: optional(nonEmpty),
});

/** A held token set, as stored and as sent to other tabs (validated when read back). */
export const tokenSetSchema = z.object({
  accessToken: nonEmpty,
  refreshToken: text,
  idToken: text,
  obtainedAt: epoch,
  expiresAt: epoch,
  stamp: epoch,
  sessionStamp: epoch,
  refreshExpiresAt: time,
  startedAt: time,
  userId: text,
  claims: z.record(z.string(), z.unknown()),
});

/** A token set as kept in storage (version 2: token sets carry their stamps). */
export const storedTokensSchema = z.object({ v: z.literal(2), tokens: tokenSetSchema });

/** RFC 6749 names → TokenInput names. */
const SNAKE: Record<string, keyof TokenInput> = {
  access_token: 'accessToken',
  expires_in: 'expiresIn',
  expires_at: 'expiresAt',
  refresh_token: 'refreshToken',
  refresh_expires_in: 'refreshExpiresIn',
  id_token: 'idToken',
};

const invalid = (message: string, path: PropertyKey[] = [], code = 'custom') =>
  new TokenResponseError([{ code, path, message }]);

/** Seconds since the epoch or ms since the epoch? Anything before 1973 in ms is seconds. */
const toMs = (value: number) => (value < 1e11 ? value * 1000 : value);

/**
 * The default `parseTokens`: an RFC 6749 §5.1 response (`access_token`, `expires_in`, optional
 * `refresh_token`, …) or its camelCase form (`accessToken`, `expiresIn`/`expiresAt`,
 * `refreshToken`). A JSON string is parsed first; numeric strings ("3600") are accepted.
 * Throws {@link TokenResponseError}.
 * @example
 * parseTokenResponse({ access_token: 'eyJ…', expires_in: 3600, token_type: 'Bearer' })
 */
export function parseTokenResponse(raw: unknown): TokenInput {
  let data = raw;
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw);
    } catch (cause) {
      const preview = raw.trimStart().startsWith('<') ? 'an HTML page' : 'not JSON';
      throw new TokenResponseError(
        [{ code: 'invalid_json', path: [], message: `The response is ${preview}` }],
        { cause },
      );
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalid('The token response must be a JSON object', [], 'invalid_type');
  }
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const name = SNAKE[key] ?? key;
    if (value === undefined || !(name in tokenInputSchema.shape) || name in input) continue;
    // Some servers send numbers as strings; seconds or ms since the epoch for absolute times.
    const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    input[name] = name.endsWith('At') && typeof number === 'number' ? toMs(number) : number;
  }
  if (input.accessToken === undefined) throw invalid('access_token is required', ['access_token']);
  return checked(input);
}

/** A {@link TokenInput}, validated (also what a custom `parseTokens` returns). */
const checked = (input: unknown): TokenInput => {
  const result = tokenInputSchema.safeParse(input);
  if (!result.success) throw new TokenResponseError(result.error.issues);
  return result.data;
};

/** A token response in the session's terms. Times are on the local clock, in epoch ms. */
export interface ParsedTokens {
  readonly accessToken: string;
  readonly refreshToken?: string | undefined;
  readonly idToken?: string | undefined;
  /** When the response arrived (local clock): the base of `expiresAt`. */
  readonly obtainedAt: number;
  readonly expiresAt: number;
  /** When the refresh credential stops working, when the server said. */
  readonly refreshExpiresAt?: number | undefined;
  /** When the user signed in (the login that started this chain of refreshes). */
  readonly startedAt?: number | undefined;
  readonly userId?: string | undefined;
  readonly claims: JwtClaims;
}

/**
 * The token set a session holds: a parsed response plus its place in the order of events shared
 * by the tabs (see `stamps.ts`).
 */
export interface TokenSet extends ParsedTokens {
  /** When this token set was obtained, as a stamp: later token sets of a session have greater ones. */
  readonly stamp: number;
  /** The stamp of the sign-in (login or probe) that began this session; refreshes keep it. */
  readonly sessionStamp: number;
}

export type UserIdFn = (claims: JwtClaims, response: unknown) => string | undefined;

const subject = (claims: JwtClaims | null) =>
  typeof claims?.sub === 'string' && claims.sub ? claims.sub : undefined;

/** The default `userId`: the access token's `sub`, else the id token's `sub`. */
export const defaultUserId: UserIdFn = (claims, response) => {
  const fields = response as { id_token?: unknown; idToken?: unknown } | null | undefined;
  const idToken = typeof response === 'object' ? (fields?.id_token ?? fields?.idToken) : undefined;
  return subject(claims) ?? subject(typeof idToken === 'string' ? decodeJwtClaims(idToken) : null);
};

/**
 * The lifetime in ms of an absolute server-clock expiry (epoch ms), measured from the token's own
 * `iat` when it has one, else from when the response arrived.
 */
const lifetimeUntil = (at: number | undefined, claims: JwtClaims | null, receivedAt: number) =>
  at === undefined
    ? undefined
    : at - (typeof claims?.iat === 'number' ? claims.iat * 1000 : receivedAt);

/** The lifetime in ms of a JWT, from its `exp`. */
const jwtLifetime = (claims: JwtClaims | null, receivedAt: number) =>
  lifetimeUntil(
    typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined,
    claims,
    receivedAt,
  );

/** What a refresh response is read against: the token set it renews. */
type Renewed = Pick<ParsedTokens, 'idToken' | 'userId'> | null | undefined;

/**
 * Turn a parsed token response into a token set on the local clock: expiry = the moment the
 * response arrived + its lifetime, so a client whose clock is wrong still refreshes on time.
 * A refresh response (`renews`: the token set it renews) that names nobody keeps that user, and
 * keeps the id token when none came back (OpenID Connect allows a refresh without one).
 */
export function toTokenSet(
  input: unknown,
  raw: unknown,
  receivedAt: number,
  userIdFn: UserIdFn = defaultUserId,
  renews?: Renewed,
): ParsedTokens {
  const t = checked(input);
  const idToken = t.idToken ?? renews?.idToken;
  const access = decodeJwtClaims(t.accessToken);
  const claims = access ?? (idToken ? decodeJwtClaims(idToken) : null) ?? {};
  const lifetimeMs =
    t.expiresIn === undefined
      ? (lifetimeUntil(t.expiresAt, access, receivedAt) ?? jwtLifetime(access, receivedAt))
      : t.expiresIn * 1000;
  if (lifetimeMs === undefined) {
    throw invalid('No expires_in, expiresAt or JWT exp: supply parseTokens', ['expires_in']);
  }
  if (!(lifetimeMs >= MIN_LIFETIME_MS && lifetimeMs <= MAX_LIFETIME_S * 1000)) {
    throw invalid(`Unusable token lifetime (${lifetimeMs} ms)`, ['expires_in']);
  }
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    idToken,
    obtainedAt: receivedAt,
    expiresAt: receivedAt + lifetimeMs,
    refreshExpiresAt: refreshExpiry(t, access, receivedAt),
    userId: userIdFn(claims, raw) ?? renews?.userId,
    claims,
  };
}

/**
 * When the refresh credential expires (local clock), when the response says: its lifetime, its
 * absolute expiry, or the `exp` of a JWT refresh token. An expiry that is not a usable lifetime
 * (an `exp` of 1e400 is Infinity) is ignored, as if none was given.
 */
function refreshExpiry(t: TokenInput, access: JwtClaims | null, receivedAt: number) {
  // Keycloak sends `refresh_expires_in: 0` for "never expires" (offline tokens).
  if (t.refreshExpiresIn) return receivedAt + t.refreshExpiresIn * 1000;
  const refreshMs =
    lifetimeUntil(t.refreshExpiresAt, access, receivedAt) ??
    (t.refreshToken ? jwtLifetime(decodeJwtClaims(t.refreshToken), receivedAt) : undefined);
  if (refreshMs === undefined || !Number.isFinite(refreshMs)) return undefined;
  if (refreshMs > MAX_LIFETIME_S * 1000) return undefined;
  return receivedAt + refreshMs;
}
