import type { TokenSet } from '../tokens/token-set';

/** The longest backoff between two failed attempts, in ms. */
export const MAX_BACKOFF_MS = 60_000;
/** The longest wait a `Retry-After` header can ask for, in ms. */
export const MAX_RETRY_AFTER_MS = 600_000;

/**
 * When a token set is due for its refresh, in epoch ms: `refreshBeforeMs` before it expires, or
 * half-way through its life for tokens living less than twice that.
 */
export function refreshTime(tokens: TokenSet, refreshBeforeMs: number): number {
  const lifetime = tokens.expiresAt - tokens.obtainedAt;
  if (lifetime < 2 * refreshBeforeMs) return tokens.obtainedAt + lifetime / 2;
  return tokens.expiresAt - refreshBeforeMs;
}

/** Capped exponential backoff with jitter: attempt 1 → ~1 s, 2 → ~2 s, … up to 60 s. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.max(0, attempt - 1));
  // "Equal jitter": never less than half the ceiling, so retries do not bunch up near zero.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
