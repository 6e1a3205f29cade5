import type { RuntimeEnv, StorageLike } from './env';
import { SessionError } from './errors';

/** A Web Storage of the env (looked up at every use, so it may come and go) or an adapter. */
export type StorageOption = 'local' | 'session' | StorageLike;

/** Runs `body` on the storage; `undefined` when the storage failed (see {@link guardStorage}). */
export type GuardedStorage = <T>(
  action: string,
  body: (storage: StorageLike) => T,
  endsStreak?: boolean,
) => T | undefined;

/**
 * A storage that never throws into the app. A storage that is missing, or whose lookup or `body`
 * throws (quota, private mode, SecurityError), makes the call return `undefined` and is reported
 * to `onError` as a `SessionError` with code `STORAGE_UNAVAILABLE`, once per streak of failures;
 * a call with `endsStreak` that succeeds ends the streak. The message names `label` and the
 * action only, so stored data never reaches an error or a log.
 * @example
 * const use = guardStorage(env, 'local', 'Draft', report);
 * const text = use('read', (storage) => storage.getItem(key));
 */
export function guardStorage(
  env: RuntimeEnv,
  option: StorageOption,
  label: string,
  onError: (error: SessionError) => void,
): GuardedStorage {
  let failing = false;
  return (action, body, endsStreak) => {
    try {
      const storage = typeof option === 'string' ? env.storage(option) : option;
      if (!storage) throw new Error(`No ${option}Storage here`);
      const result = body(storage);
      if (endsStreak) failing = false;
      return result;
    } catch (cause) {
      const message = `${label} storage is unavailable (${action})`;
      if (!failing) onError(new SessionError('STORAGE_UNAVAILABLE', message, { cause }));
      failing = true;
      return undefined;
    }
  };
}

/**
 * Every key of a storage: `keys()` when the adapter has it, else Web Storage's `length` and
 * `key(i)`; `null` when it has neither (its entries can then only be found by their keys).
 */
export function storageKeys(storage: StorageLike): string[] | null {
  if (typeof storage.keys === 'function') return storage.keys();
  if (typeof storage.length !== 'number' || typeof storage.key !== 'function') return null;
  return Array.from({ length: storage.length }, (_, index) => storage.key?.(index) ?? null).filter(
    (key) => key !== null,
  );
}
