import type { RuntimeEnv, StorageLike } from './env';
import { SessionError } from './errors';

/** A Web Storage of the env (looked up at every use, so it may come and go) or an adapter. */
export type StorageOption = 'local' | 'session' | StorageLike;

/**
 * Run `body` on the storage. A storage that is missing, or whose lookup or `body` throws (quota,
 * private mode, SecurityError), becomes a `SessionError` with code `STORAGE_UNAVAILABLE`; its
 * message names `label` and `action` only, so stored data never reaches an error or a log.
 * @example withStorage(env, 'local', 'Draft', 'read', (storage) => storage.getItem(key))
 * @throws SessionError `STORAGE_UNAVAILABLE`
 */
export function withStorage<T>(
  env: RuntimeEnv,
  option: StorageOption,
  label: string,
  action: string,
  body: (storage: StorageLike) => T,
): T {
  try {
    const storage = typeof option === 'string' ? env.storage(option) : option;
    if (!storage) throw new Error(`No ${option}Storage here`);
    return body(storage);
  } catch (cause) {
    throw new SessionError('STORAGE_UNAVAILABLE', `${label} storage is unavailable (${action})`, {
      cause,
    });
  }
}

/**
 * Every key of a storage: `keys()` when the adapter has it, else Web Storage's `length` and
 * `key(i)`; `null` when it has neither (its entries can then only be found by their keys).
 */
export function storageKeys(storage: StorageLike): string[] | null {
  if (typeof storage.keys === 'function') return storage.keys();
  if (typeof storage.length !== 'number' || typeof storage.key !== 'function') return null;
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key !== null) keys.push(key);
  }
  return keys;
}
