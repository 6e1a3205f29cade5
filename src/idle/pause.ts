import type { RuntimeEnv } from '../lib/env';
import { createSharedPause } from './shared-pause';

/**
 * The idle deadline across pauses. `pause()` holds the time that was left; `resume()` promises
 * that much from then on; activity (in any tab) after that counts as always. A pause holds in
 * every tab: the paused tab holds a Web Lock (see {@link createSharedPause}), and a tab about to
 * prompt or go idle while another is paused holds its own time left until that pause ends. The
 * book is kept in memory: a reload ends the pause of that tab.
 */
export interface PauseBook {
  /**
   * Paused at `now`, with the user idle at `deadline` (epoch ms): by `pause()` here (the lock is
   * held), or by another tab's pause (`byOther`).
   */
  hold(deadline: number, now: number, byOther?: boolean): void;
  /** Is the pause another tab's (this tab waits for it to end)? */
  readonly byOther: boolean;
  /** Make another tab's pause this tab's own (`pause()` while held by another tab). */
  own(): void;
  /**
   * Resumed, or the other tab's pause ended, at `now`: the user is idle no earlier than the
   * time held from now. Lets go of the lock and of any question to the other tabs.
   */
  release(now: number): void;
  /** Stopped: let go of the lock and of any question to the other tabs. */
  end(): void;
  /** Forget the promise of the last resume (a fresh start). */
  clear(): void;
  /**
   * Before a prompt or idle: is another tab paused? `onPaused()` at once if so, `onFree(asked)`
   * once none is (any more), with the time of the question that found none. One question at a
   * time: a second one while it is open is dropped.
   */
  ask(onFree: (asked: number) => void, onPaused: () => void): void;
  /**
   * The idle deadline for the last activity at `at`: a full timeout after it, or the promise of
   * the last resume when that is later.
   */
  deadline(at: number): number;
  /** While paused: the ms left if resumed at `now`, for the last activity at `at`. */
  remaining(at: number, now: number): number;
}

export function createPauseBook(
  timeoutMs: number,
  env: RuntimeEnv,
  /** The prefix of the lock names; `null` for a tab on its own. */
  lockPrefix: () => string | null,
): PauseBook {
  const shared = createSharedPause(env, lockPrefix);
  /** The ms left at the last `hold()`. */
  let held = 0;
  /** The deadline the last `release()` promised; 0 when none. */
  let promised = 0;
  let byOther = false;
  let asking = false;
  const end = () => {
    byOther = asking = false;
    shared.cancel();
    shared.release();
  };
  return {
    hold(deadline, now, other = false) {
      held = Math.max(0, deadline - now);
      byOther = other;
      if (!other) {
        asking = false;
        shared.cancel();
        shared.hold();
      }
    },
    get byOther() {
      return byOther;
    },
    own() {
      end();
      shared.hold();
    },
    release(now) {
      end();
      promised = now + held;
    },
    end,
    clear() {
      promised = 0;
    },
    ask(onFree, onPaused) {
      if (asking) return;
      asking = true;
      shared.gate((asked) => {
        asking = false;
        onFree(asked);
      }, onPaused);
    },
    deadline: (at) => Math.max(at + timeoutMs, promised),
    remaining: (at, now) => Math.max(held, at + timeoutMs - now),
  };
}
