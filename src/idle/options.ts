/** Inactivity after which the user is idle, in ms (15 min). */
export const DEFAULT_IDLE_TIMEOUT_MS = 900_000;
/** The prompt is shown this long before the idle deadline, in ms. */
export const DEFAULT_PROMPT_BEFORE_MS = 60_000;
/** Activity is handled at most once per this many ms. */
export const DEFAULT_IDLE_THROTTLE_MS = 500;
/** Browsers fire a `setTimeout` longer than a signed 32-bit int at once; longer waits are chunked. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;
/**
 * A timestamp from another tab or from storage further ahead of this tab's clock than this is
 * ignored (tabs share one machine clock, so only a clock change can cause it); one within it is
 * taken as now.
 */
export const MAX_CLOCK_SKEW_MS = 5_000;

/**
 * Throws a `RangeError` for a nonsensical option (a programming error): `timeoutMs` must be
 * finite and > 0, `promptBeforeMs` finite, ≥ 0 and < `timeoutMs`, `throttleMs` finite and ≥ 0,
 * `name` (of `crossTab`) a string.
 */
export function checkIdleOptions(
  timeoutMs: number,
  promptBeforeMs: number,
  throttleMs: number,
  name: unknown,
): void {
  const atLeastZero = (value: number) => Number.isFinite(value) && value >= 0;
  // A prompt as long as the timeout would show at once on every activity.
  const broken = !(atLeastZero(timeoutMs) && timeoutMs > 0)
    ? 'timeoutMs must be > 0'
    : !(atLeastZero(promptBeforeMs) && promptBeforeMs < timeoutMs)
      ? 'promptBeforeMs must be >= 0 and < timeoutMs'
      : !atLeastZero(throttleMs)
        ? 'throttleMs must be >= 0'
        : typeof name !== 'string' && 'crossTab.name must be a string';
  if (broken) throw new RangeError(`createIdleTimer: ${broken}`);
}
