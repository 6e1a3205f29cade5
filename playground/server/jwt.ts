import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The claims the mock server puts in every access token. */
export interface AccessClaims {
  /** The user id (`alice`, `bob`, `carol`). */
  sub: string;
  /** The user's display name. */
  name: string;
  /** Issued at, epoch seconds. */
  iat: number;
  /** Expiry, epoch seconds. */
  exp: number;
  /** A unique token id. */
  jti: string;
  /** The refresh-token family (one login) this token belongs to; revoking it revokes the token. */
  sid: string;
  iss: string;
}

/** Why a token was not accepted. */
export type JwtFailure = 'malformed' | 'signature' | 'expired';

const HEADER = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64Url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** A fresh random HMAC key: tokens of an earlier server start never verify. */
export function createSecret(): Buffer {
  return randomBytes(32);
}

/** A random opaque identifier (refresh tokens, `jti`, family ids). */
export function randomId(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

function sign(secret: Buffer, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** Sign `claims` as a compact HS256 JWT. */
export function signJwt(secret: Buffer, claims: AccessClaims): string {
  const input = `${HEADER}.${base64Url(JSON.stringify(claims))}`;
  return `${input}.${sign(secret, input).toString('base64url')}`;
}

function isClaims(value: unknown): value is AccessClaims {
  if (value === null || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.sub === 'string' &&
    typeof c.sid === 'string' &&
    typeof c.jti === 'string' &&
    typeof c.exp === 'number' &&
    typeof c.iat === 'number'
  );
}

/**
 * Verify an HS256 JWT signed with `secret`: the header must say HS256 (no `none`, no other
 * algorithm), the signature must match (constant-time), and unless `ignoreExpiry` is set the
 * token must not have expired at `nowMs`.
 */
export function verifyJwt(
  secret: Buffer,
  token: string,
  nowMs: number,
  ignoreExpiry = false,
): { ok: true; claims: AccessClaims } | { ok: false; reason: JwtFailure } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  if (header !== HEADER) return { ok: false, reason: 'malformed' };
  const expected = sign(secret, `${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature' };
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
  if (!ignoreExpiry && claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
