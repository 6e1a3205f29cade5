import { DEFAULT_IDLE_EVENTS, type IdleTimerOptions } from './types';

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
const DEFAULT_NAME = 'sessionkeeper';

/** The options with their defaults applied and checked. */
export interface ResolvedIdleOptions {
  timeoutMs: number;
  promptBeforeMs: number;
  throttleMs: number;
  events: readonly string[];
  crossTab: boolean;
  /** The namespace of the channel (`${name}:idle`) and storage key (`${name}:idle:last-activity`). */
  name: string;
}

/** Apply the defaults; a nonsensical option is a programming error and throws a `RangeError`. */
export function resolveIdleOptions(options: IdleTimerOptions): ResolvedIdleOptions {
  const timeoutMs = options.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const promptBeforeMs = options.promptBeforeMs ?? DEFAULT_PROMPT_BEFORE_MS;
  const throttleMs = options.throttleMs ?? DEFAULT_IDLE_THROTTLE_MS;
  const crossTab = options.crossTab ?? true;
  // An empty name means the default, as for the session.
  const name = (typeof crossTab === 'object' && crossTab.name) || DEFAULT_NAME;
  const fail = (what: string) => {
    throw new RangeError(`createIdleTimer: ${what}`);
  };
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) fail('timeoutMs must be a positive number');
  if (!Number.isFinite(promptBeforeMs) || promptBeforeMs < 0 || promptBeforeMs >= timeoutMs) {
    // A prompt as long as the timeout would show at once on every activity.
    fail('promptBeforeMs must be at least 0 and less than timeoutMs');
  }
  if (!Number.isFinite(throttleMs) || throttleMs < 0) fail('throttleMs must be 0 or more');
  if (typeof name !== 'string') fail('crossTab.name must be a string');
  return {
    timeoutMs,
    promptBeforeMs,
    throttleMs,
    events: options.events ?? DEFAULT_IDLE_EVENTS,
    crossTab: crossTab !== false,
    name,
  };
}
