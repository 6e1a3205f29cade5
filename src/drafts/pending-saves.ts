import type { RuntimeEnv, TimerId } from '../env';

/** A save not yet in storage: waiting for its debounce, or kept after storage failed. */
export interface PendingSave {
  /** Whose draft it is: captured when the user typed, so a later scope change cannot move it. */
  readonly userId: string;
  /** The JSON of the values; `undefined` = read the attached form when writing. */
  json: string | undefined;
}

/** Debounced saves, one per form key; the last change of a key restarts its wait. */
export interface PendingSaves {
  schedule(key: string, save: PendingSave): void;
  get(key: string): PendingSave | undefined;
  /** Drop the save of `key` (and its timer); returns it. */
  cancel(key: string): PendingSave | undefined;
  /** Write `key` now; the save is kept when `write` returns `false` (storage failed). */
  flush(key: string): void;
  keys(): string[];
  entries(): [string, PendingSave][];
  readonly size: number;
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

  function stopTimer(key: string): void {
    if (timers.has(key)) env.clearTimeout(timers.get(key));
    timers.delete(key);
  }

  function cancel(key: string): PendingSave | undefined {
    const save = saves.get(key);
    stopTimer(key);
    saves.delete(key);
    if (save) onChange();
    return save;
  }

  function flush(key: string): void {
    const save = saves.get(key);
    stopTimer(key);
    if (!save || !write(key, save) || saves.get(key) !== save) return;
    saves.delete(key);
    onChange();
  }

  return {
    schedule(key, save) {
      stopTimer(key);
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
    get: (key) => saves.get(key),
    cancel,
    flush,
    keys: () => [...saves.keys()],
    entries: () => [...saves.entries()],
    get size() {
      return saves.size;
    },
  };
}
