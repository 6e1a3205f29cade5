import type { RuntimeEnv, TimerId } from '../lib/env';
import type { DraftOwner } from './draft-storage';

/** A save not yet in storage: waiting for its debounce, or kept after storage failed. */
export interface PendingSave {
  /**
   * Whose draft it is (a user id; `null`: the anonymous draft): captured when the user typed, so
   * a later scope change cannot move it.
   */
  readonly owner: DraftOwner;
  /** The JSON of the values; `undefined` = read the attached form when writing. */
  json: string | undefined;
}

/**
 * Debounced saves, one per form key (a Map of them); the last change of a key restarts its
 * wait. Change the map only through these methods, which keep the timers and `onChange` right.
 */
export interface PendingSaves extends Map<string, PendingSave> {
  schedule(key: string, save: PendingSave): void;
  /** Drop the save of `key` (and its timer); returns it. */
  cancel(key: string): PendingSave | undefined;
  /** Write `key` now; the save is kept when `write` returns `false` (storage failed). */
  flush(key: string): void;
}

/**
 * @param write stores one save; `false` keeps it pending for a later flush.
 * @param onChange called after saves were added or removed (to add or remove page listeners).
 */
export function createPendingSaves(
  env: RuntimeEnv,
  debounceMs: number,
  write: (key: string, save: PendingSave) => boolean,
  onChange: () => void,
): PendingSaves {
  const saves = new Map<string, PendingSave>();
  const timers = new Map<string, TimerId>();

  /** Stop the timer of `key`; returns its save. */
  function take(key: string): PendingSave | undefined {
    if (timers.has(key)) env.clearTimeout(timers.get(key));
    timers.delete(key);
    return saves.get(key);
  }

  function remove(key: string): void {
    saves.delete(key);
    onChange();
  }

  function flush(key: string): void {
    const save = take(key);
    // Writing may have scheduled a newer save of the key (a `draft-saved` handler): keep that.
    if (save && write(key, save) && saves.get(key) === save) remove(key);
  }

  return Object.assign(saves, {
    schedule(key: string, save: PendingSave) {
      take(key);
      saves.set(key, save);
      timers.set(
        key,
        env.setTimeout(() => {
          timers.delete(key);
          flush(key);
        }, debounceMs),
      );
      onChange();
    },
    cancel(key: string) {
      const save = take(key);
      if (save) remove(key);
      return save;
    },
    flush,
  });
}
