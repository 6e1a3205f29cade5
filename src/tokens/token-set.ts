import {
  type Check,
  hasFields,
  isEpochMs,
  isNumber,
  isObject,
  isString,
  oneOf,
  optional,
} from '../lib/guards';
import { decodeJwtClaims, type JwtClaims } from './jwt';
import { checkTokenInput, invalidTokens, MAX_LIFETIME_S, type TokenInput } from './token-response';

/**
 * One second: a shorter access-token lifetime could not carry even one request, and refreshing
 * at half of it would flood the token endpoint. Such a response is rejected.
 */
export const MIN_LIFETIME_MS = 1_000;

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

const optionalText = optional(isString);
const optionalNumber = optional(isNumber);

/** A held token set, as stored and as sent to other tabs (checked when read back). */
export const isTokenSet: Check<TokenSet> = hasFields<TokenSet>({
  accessToken: (value): value is string => isString(value) && value !== '',
  refreshToken: optionalText,
  idToken: optionalText,
  obtainedAt: isEpochMs,
  expiresAt: isEpochMs,
  stamp: isEpochMs,
  sessionStamp: isEpochMs,
  refreshExpiresAt: optionalNumber,
  startedAt: optionalNumber,
  userId: optionalText,
  claims: isObject,
});

/** A token set as kept in storage (version 2: token sets carry their stamps). */
export const isStoredTokens = hasFields<{ v: 2; tokens: TokenSet }>({
  v: oneOf(2),
  tokens: isTokenSet,
});

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
  const t = checkTokenInput(input);
  const idToken = t.idToken ?? renews?.idToken;
  const access = decodeJwtClaims(t.accessToken);
  const claims = access ?? (idToken ? decodeJwtClaims(idToken) : null) ?? {};
  const lifetimeMs =
    t.expiresIn === undefined
      ? (lifetimeUntil(t.expiresAt, access, receivedAt) ?? jwtLifetime(access, receivedAt))
      : t.expiresIn * 1000;
  if (lifetimeMs === undefined) {
    throw invalidTokens('No expires_in, expiresAt or JWT exp: supply parseTokens', ['expires_in']);
  }
  if (!(lifetimeMs >= MIN_LIFETIME_MS && lifetimeMs <= MAX_LIFETIME_S * 1000)) {
    throw invalidTokens(`Unusable token lifetime (${lifetimeMs} ms)`, ['expires_in']);
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
