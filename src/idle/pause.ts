/**
 * The idle deadline across pauses. `pause()` holds the time that was left; `resume()` promises
 * that much from then on; activity (in any tab) after that counts as always. Kept in memory in
 * one tab only: a pause holds in the tab that paused, and a reload ends it.
 */
export interface PauseBook {
  /** Paused at `now`, with the user idle at `deadline` (epoch ms). */
  hold(deadline: number, now: number): void;
  /** Resumed at `now`: the user is idle no earlier than the time held from now. */
  release(now: number): void;
  /** Forget the promise of the last resume (a fresh start). */
  clear(): void;
  /**
   * The idle deadline for the last activity at `at`: a full timeout after it, or the promise of
   * the last resume when that is later.
   */
  deadline(at: number): number;
  /** While paused: the ms left if resumed at `now`, for the last activity at `at`. */
  remaining(at: number, now: number): number;
}

export function createPauseBook(timeoutMs: number): PauseBook {
  /** The ms left at the last `hold()`. */
  let held = 0;
  /** The deadline the last `release()` promised; 0 when none. */
  let promised = 0;
  return {
    hold(deadline, now) {
      held = deadline - now;
    },
    release(now) {
      promised = now + held;
    },
    clear() {
      promised = 0;
    },
    deadline: (at) => Math.max(at + timeoutMs, promised),
    remaining: (at, now) => Math.max(held, at + timeoutMs - now),
  };
}
