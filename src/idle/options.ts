import { DEFAULT_NAME } from '../lib/names';
import type { IdleTimerOptions } from './types';

/** Inactivity after which the user is idle, in ms (15 min). */
export const DEFAULT_IDLE_TIMEOUT_MS = 900_000;
/** The prompt is shown this long before the idle deadline, in ms. */
export const DEFAULT_PROMPT_BEFORE_MS = 60_000;
/** Activity is handled at most once per this many ms. */
export const DEFAULT_IDLE_THROTTLE_MS = 500;
/**
 * A timestamp from another tab or from storage further ahead of this tab's clock than this is
 * ignored (tabs share one machine clock, so only a clock change can cause it); one within it is
 * taken as now.
 */
export const MAX_CLOCK_SKEW_MS = 5_000;

/**
 * Throws a `RangeError` naming the first nonsensical option (a programming error): `timeoutMs`
 * must be finite and > 0, `promptBeforeMs` finite, ≥ 0 and < `timeoutMs` (a prompt as long as
 * the timeout would show at once on every activity), `throttleMs` finite and ≥ 0, `name` (of
 * `crossTab`) a string.
 */
export function checkIdleOptions(
  timeoutMs: number,
  promptBeforeMs: number,
  throttleMs: number,
  name: unknown,
): void {
  const atLeastZero = (value: number) => Number.isFinite(value) && value >= 0;
  const valid = {
    timeoutMs: atLeastZero(timeoutMs) && timeoutMs > 0,
    promptBeforeMs: atLeastZero(promptBeforeMs) && promptBeforeMs < timeoutMs,
    throttleMs: atLeastZero(throttleMs),
    'crossTab.name': typeof name === 'string',
  };
  for (const [option, ok] of Object.entries(valid)) {
    if (!ok) throw new RangeError(`createIdleTimer: ${option} is invalid`);
  }
}

/**
 * The options with their defaults, checked (see {@link checkIdleOptions}). `name` is the
 * namespace of the channel, the storage key and the locks; an empty one means the default, as
 * for the session.
 */
export function resolveIdleOptions(options: IdleTimerOptions) {
  const crossTab = options.crossTab ?? true;
  const timeoutMs = options.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const promptBeforeMs = options.promptBeforeMs ?? DEFAULT_PROMPT_BEFORE_MS;
  const throttleMs = options.throttleMs ?? DEFAULT_IDLE_THROTTLE_MS;
  const name = (typeof crossTab === 'object' && crossTab.name) || DEFAULT_NAME;
  checkIdleOptions(timeoutMs, promptBeforeMs, throttleMs, name);
  return { crossTab: crossTab !== false, name, timeoutMs, promptBeforeMs, throttleMs };
}
