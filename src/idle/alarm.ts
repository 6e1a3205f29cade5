import { MAX_TIMEOUT_MS, type RuntimeEnv, type TimerId } from '../lib/env';

/** The idle timer's one timer: set for an instant, moved only when an earlier one is asked for. */
export interface Alarm {
  /**
   * Fire at `at` (epoch ms; at once when past), unless the alarm is already set for `at` or
   * earlier. Lazy: the idle deadline only moves later, so an alarm that fires early just makes
   * the timer check and set it again; activity never touches timers.
   */
  set(at: number, now: number): void;
  /** Remove the timer, if one is set. */
  clear(): void;
}

/** An {@link Alarm} calling `onFire`. A delay longer than a browser timer takes is cut to it. */
export function createAlarm(env: RuntimeEnv, onFire: () => void): Alarm {
  let timer: TimerId;
  /** When the timer fires; `Infinity` when none is set. */
  let firesAt = Infinity;
  const alarm: Alarm = {
    set(at, now) {
      if (firesAt <= at) return;
      alarm.clear();
      const delay = Math.min(Math.max(0, at - now), MAX_TIMEOUT_MS);
      firesAt = now + delay;
      timer = env.setTimeout(() => {
        firesAt = Infinity;
        onFire();
      }, delay);
    },
    clear() {
      if (firesAt < Infinity) env.clearTimeout(timer);
      firesAt = Infinity;
    },
  };
  return alarm;
}
