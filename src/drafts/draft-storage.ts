import * as z from 'zod/mini';
import type { RuntimeEnv, StorageLike } from '../env';
import { SessionError } from '../errors';
import type { DraftValues } from './types';

/** The version of the stored entry format; an entry of any other version is removed. */
export const DRAFT_ENTRY_VERSION = 1;

/** One stored draft: `{ v: 1, savedAt: <epoch ms>, fields: { … } }`. */
const entrySchema = z.object({
  v: z.literal(DRAFT_ENTRY_VERSION),
  savedAt: z.number(),
  fields: z.record(z.string(), z.unknown()),
});

export interface DraftStorageOptions {
  env: RuntimeEnv;
  storage: 'local' | 'session' | StorageLike;
  name: string;
  ttlMs: number;
}

/**
 * Draft entries in Web Storage, one per user and form key, under
 * `<name>:draft:<encoded user id>:<encoded key>`. Every method throws a `SessionError` with code
 * `STORAGE_UNAVAILABLE` when the storage is missing or throws (quota, private mode, SecurityError).
 */
export interface DraftStorage {
  /** The valid, unexpired draft, or `null`; a corrupt, wrong-version or expired entry is removed. */
  read(userId: string, key: string): DraftValues | null;
  /** Store `fieldsJson` (the JSON text of the values) stamped with the current time. */
  write(userId: string, key: string, fieldsJson: string): void;
  remove(userId: string, key: string): void;
  /**
   * Remove every draft whose user `matches`; with `sweepOthers`, also remove invalid or expired
   * drafts of the other users. `known` lists the drafts this page has seen: the only ones that
   * can be found when the storage cannot list its keys.
   */
  removeUsers(
    matches: (userId: string) => boolean,
    options: { sweepOthers: boolean; known: () => Iterable<readonly [string, string]> },
  ): void;
}

function listKeys(storage: StorageLike): string[] | null {
  if (typeof storage.keys === 'function') return storage.keys();
  if (typeof storage.length !== 'number' || typeof storage.key !== 'function') return null;
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key !== null) keys.push(key);
  }
  return keys;
}

function parseEntry(raw: string): z.infer<typeof entrySchema> | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const result = entrySchema.safeParse(json);
  return result.success ? result.data : null;
}

export function createDraftStorage(options: DraftStorageOptions): DraftStorage {
  const { env, name, ttlMs } = options;
  const prefix = `${name}:draft:`;
  const storageKey = (userId: string, key: string) =>
    `${prefix}${encodeURIComponent(userId)}:${encodeURIComponent(key)}`;

  function userOf(key: string): string | null {
    if (!key.startsWith(prefix)) return null;
    const end = key.indexOf(':', prefix.length);
    if (end < 0) return null;
    try {
      return decodeURIComponent(key.slice(prefix.length, end));
    } catch {
      return null;
    }
  }

  // The message names the operation only: draft contents never reach an error or a log.
  const unavailable = (action: string, cause?: unknown) =>
    new SessionError('STORAGE_UNAVAILABLE', `Draft storage is unavailable (${action})`, { cause });

  function run<T>(action: string, body: (storage: StorageLike) => T): T {
    let storage: StorageLike | null;
    try {
      storage =
        typeof options.storage === 'string' ? env.storage(options.storage) : options.storage;
    } catch (cause) {
      throw unavailable('access', cause);
    }
    if (!storage) throw unavailable('no storage here');
    try {
      return body(storage);
    } catch (cause) {
      throw unavailable(action, cause);
    }
  }

  function readAt(storage: StorageLike, key: string): DraftValues | null {
    const raw = storage.getItem(key);
    if (raw === null) return null;
    const entry = parseEntry(raw);
    if (entry && entry.savedAt + ttlMs >= env.now()) return entry.fields;
    storage.removeItem(key);
    return null;
  }

  return {
    read: (userId, key) => run('read', (storage) => readAt(storage, storageKey(userId, key))),
    write(userId, key, fieldsJson) {
      const entry = `{"v":${DRAFT_ENTRY_VERSION},"savedAt":${env.now()},"fields":${fieldsJson}}`;
      run('write', (storage) => storage.setItem(storageKey(userId, key), entry));
    },
    remove(userId, key) {
      run('remove', (storage) => storage.removeItem(storageKey(userId, key)));
    },
    removeUsers(matches, { sweepOthers, known }) {
      run('purge', (storage) => {
        const keys =
          listKeys(storage) ?? Array.from(known(), ([userId, key]) => storageKey(userId, key));
        for (const key of keys) {
          const userId = userOf(key);
          if (userId === null) continue;
          if (matches(userId)) storage.removeItem(key);
          else if (sweepOthers) readAt(storage, key);
        }
      });
    },
  };
}
