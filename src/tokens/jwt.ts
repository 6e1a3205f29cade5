/** The claims of a JWT. Only `sub`, `exp` and `iat` are read by sessionkeeper. */
export interface JwtClaims {
  sub?: string;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

const base64UrlDecode = (segment: string): string => {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
};

/**
 * Read the claims of a JWT without verifying it (the server verifies; the client only needs
 * `exp`, `iat` and `sub` to schedule and to know who is signed in).
 * Returns `null` for anything that is not a JWT with a JSON object payload.
 * @example
 * decodeJwtClaims(accessToken)?.sub // 'alice'
 */
export function decodeJwtClaims(token: string): JwtClaims | null {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 && parts.length !== 5) return null;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1] ?? ''));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as JwtClaims)
      : null;
  } catch {
    return null;
  }
}
