import type { SessionOptions } from './types';

/** Defaults of the session's options, named with their unit. */
export const REFRESH_BEFORE_EXPIRY_MS = 120_000;
export const QUEUE_MAX_SIZE = 100;
export const QUEUE_HOLD_TIMEOUT_MS = 600_000;
/** How long a new tab waits for the open tabs to answer whether someone is signed in. */
export const INIT_TIMEOUT_MS = 500;

/** `value` is absent, or a number ≥ 0 (`Infinity` only where `infinite` allows it). */
const isDuration = (value: unknown, infinite = false) =>
  value === undefined ||
  (typeof value === 'number' && value >= 0 && (infinite || Number.isFinite(value)));

/**
 * Throws a `RangeError` naming the first numeric option that is not a usable number (a
 * programming error, found at `createSession` rather than as a timer that fires at once).
 * `queue.holdTimeoutMs` and the refresh endpoint's `timeoutMs` may be `Infinity`: the wait is
 * then capped at 2^31−1 ms (~24.8 days), the longest timer a browser honours.
 */
export function checkOptions(options: SessionOptions): void {
  const refresh = typeof options.refresh === 'object' ? options.refresh : null;
  const valid = {
    refreshBeforeExpiryMs: isDuration(options.refreshBeforeExpiryMs),
    'queue.maxSize': isDuration(options.queue?.maxSize),
    'queue.holdTimeoutMs': isDuration(options.queue?.holdTimeoutMs, true),
    maxSessionMs: isDuration(options.maxSessionMs) && options.maxSessionMs !== 0,
    endWarningMs: isDuration(options.endWarningMs),
    'refresh.timeoutMs':
      !refresh ||
      !('timeoutMs' in refresh) ||
      (isDuration(refresh.timeoutMs, true) && refresh.timeoutMs !== 0),
  };
  for (const [option, ok] of Object.entries(valid)) {
    if (!ok) throw new RangeError(`createSession: ${option} is invalid`);
  }
}
