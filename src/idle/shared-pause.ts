import type { RuntimeEnv } from '../lib/env';

/**
 * A pause that holds for every tab, through Web Locks. A paused tab holds the lock
 * `<name>:idle-paused:<tab id>` (shared mode marks a pause) until it resumes; the browser frees
 * it when the tab goes away (closed, crashed, discarded, reloaded), so no registry is left
 * behind. A tab about to prompt or go idle first asks `query()` whether another tab holds (or
 * waits for) such a lock; while one does, it waits for that lock (no polling), then asks again.
 */
export interface SharedPause {
  /** This tab is paused: hold its lock until `release()`. */
  hold(): void;
  release(): void;
  /**
   * Find out whether another tab is paused: `onPaused()` at once if so, then `onFree(asked)` once
   * no other tab is paused (at once when none was), with the time of the question that found
   * none (an answer may come late: a tab may have paused since). Without Web Locks: `onFree()`
   * at once.
   */
  gate(onFree: (asked: number) => void, onPaused: () => void): void;
  /** Forget a `gate()` in flight: neither of its callbacks is called any more. */
  cancel(): void;
}

export function createSharedPause(env: RuntimeEnv, prefix: () => string | null): SharedPause {
  // Per page: a reload is a new tab, whose pause (if any) is its own.
  const own = `${Math.floor(env.random() * 2 ** 52).toString(36)}`;
  const ignore = () => {};
  let release: (() => void) | null = null;
  /** Bumped by `cancel()`: a gate started before answers no more. */
  let turn = 0;
  let wait: AbortController | null = null;
  /** The lock manager; none without Web Locks, or for a tab on its own (no prefix). */
  const lockManager = () => (prefix() === null ? null : env.locks());

  /** The name of a lock of another paused tab, or `undefined` when there is none. */
  async function pausedElsewhere(locks: LockManager): Promise<string | undefined> {
    const mine = `${prefix()}:${own}`;
    try {
      const { held = [], pending = [] } = await locks.query();
      return [...held, ...pending].find(
        ({ name = '', mode }) =>
          mode === 'shared' && name.startsWith(`${prefix()}:`) && name !== mine,
      )?.name;
    } catch {
      return undefined; // no answer: nobody is known to be paused
    }
  }

  return {
    hold() {
      const locks = lockManager();
      if (!locks || release) return;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      locks.request(`${prefix()}:${own}`, { mode: 'shared' }, () => held).catch(ignore);
    },
    release() {
      release?.();
      release = null;
    },
    gate(onFree, onPaused) {
      const locks = lockManager();
      if (!locks) return onFree(env.now());
      const current = turn;
      let told = false;
      const ask = async () => {
        const asked = env.now();
        const name = await pausedElsewhere(locks);
        if (current !== turn) return;
        if (!name) return onFree(asked);
        if (!told) onPaused();
        told = true;
        // Granted once that tab lets go (resumed or gone); then ask again for any other.
        wait = new AbortController();
        locks.request(name, { signal: wait.signal }, ignore).then(() => {
          if (current === turn) void ask();
        }, ignore);
      };
      void ask();
    },
    cancel() {
      turn++;
      wait?.abort();
      wait = null;
    },
  };
}
