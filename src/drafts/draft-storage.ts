import * as z from 'zod/mini';
import type { RuntimeEnv, StorageLike } from '../lib/env';
import type { SessionError } from '../lib/errors';
import { guardStorage, type StorageOption, storageKeys } from '../lib/safe-storage';
import type { DraftValues } from './types';

/** One stored draft: `{ v: 1, savedAt: <epoch ms>, fields: { … } }`; any other version is removed. */
const entrySchema = z.object({
  v: z.literal(1),
  savedAt: z.number(),
  fields: z.record(z.string(), z.unknown()),
});

/**
 * Draft entries in Web Storage, one per user and form key, under
 * `<name>:draft:<encoded user id>:<encoded key>`. A storage that is missing or throws (quota,
 * private mode, SecurityError) never throws into the app: the failure (a `SessionError` with
 * code `STORAGE_UNAVAILABLE`) goes to `onError`, once per streak of failures: only a successful
 * write ends a streak.
 */
export interface DraftStorage {
  /**
   * The valid, unexpired draft, or `null` (also when the storage failed); a corrupt,
   * wrong-version or expired entry is removed.
   */
  read(userId: string, key: string): DraftValues | null;
  /** Store `fieldsJson` (the JSON text of the values) stamped with the current time; `false` when the storage failed. */
  write(userId: string, key: string, fieldsJson: string): boolean;
  remove(userId: string, key: string): void;
  /**
   * Remove every draft whose user `matches`; with `sweepOthers`, also remove invalid or expired
   * drafts of the other users. `known` lists the drafts this page has seen: the only ones that
   * can be found when the storage cannot list its keys.
   */
  removeUsers(
    matches: (userId: string) => boolean,
    sweepOthers: boolean,
    known: () => Iterable<readonly [string, string]>,
  ): void;
}

/** The entry stored as `raw`; `undefined` when it is not JSON or not a valid entry. */
function parseEntry(raw: string): z.infer<typeof entrySchema> | undefined {
  try {
    return entrySchema.safeParse(JSON.parse(raw)).data;
  } catch {
    return undefined;
  }
}

export function createDraftStorage(
  env: RuntimeEnv,
  option: StorageOption,
  name: string,
  ttlMs: number,
  onError: (error: SessionError) => void,
): DraftStorage {
  const prefix = `${name}:draft:`;
  const storageKey = (userId: string, key: string) =>
    `${prefix}${encodeURIComponent(userId)}:${encodeURIComponent(key)}`;
  const use = guardStorage(env, option, 'Draft', onError);

  /** The user id of a storage key of this store, or `null`. */
  function userOf(key: string): string | null {
    const rest = key.startsWith(prefix) ? key.slice(prefix.length) : '';
    const end = rest.indexOf(':');
    try {
      return end < 0 ? null : decodeURIComponent(rest.slice(0, end));
    } catch {
      return null;
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
    read: (userId, key) =>
      use('read', (storage) => readAt(storage, storageKey(userId, key))) ?? null,
    write(userId, key, fieldsJson) {
      const entry = `{"v":1,"savedAt":${env.now()},"fields":${fieldsJson}}`;
      return !!use(
        'write',
        (storage) => {
          storage.setItem(storageKey(userId, key), entry);
          return true;
        },
        true,
      );
    },
    remove(userId, key) {
      use('remove', (storage) => storage.removeItem(storageKey(userId, key)));
    },
    removeUsers(matches, sweepOthers, known) {
      use('purge', (storage) => {
        const keys =
          storageKeys(storage) ?? Array.from(known(), ([userId, key]) => storageKey(userId, key));
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
