import type { RuntimeEnv, StorageLike } from '../lib/env';
import type { SessionError } from '../lib/errors';
import { hasFields, isNumber, isObject, oneOf, optional, parseJson } from '../lib/guards';
import { guardStorage, type StorageOption, storageKeys } from '../lib/safe-storage';
import type { DraftValues } from './types';

/**
 * One stored draft: `{ v: 1, savedAt: <epoch ms>, ttlMs?: <ms>, fields: { … } }`; any other
 * version is removed. `ttlMs` is there when the form had its own; else the store's counts.
 */
interface Entry {
  v: 1;
  savedAt: number;
  ttlMs?: number | undefined;
  fields: DraftValues;
}

const isEntry = hasFields<Entry>({
  v: oneOf(1),
  savedAt: isNumber,
  ttlMs: optional(isNumber),
  fields: isObject,
});

/** Whose a draft is: a user id, or `null` for the anonymous scope (nobody signed in). */
export type DraftOwner = string | null;

/**
 * The user part of the storage key of an anonymous draft. `encodeURIComponent` always escapes
 * `@`, so no user id (not even "anonymous" or "@anonymous") is stored under it.
 */
const ANONYMOUS = '@anonymous';

/**
 * Draft entries in Web Storage, one per owner and form key, under
 * `<name>:draft:<encoded user id, or @anonymous>:<encoded key>`. A storage that is missing or
 * throws (quota, private mode, SecurityError) never throws into the app: the failure (a
 * `SessionError` with code `STORAGE_UNAVAILABLE`) goes to `onError`, once per streak of
 * failures: only a successful write ends a streak.
 */
export interface DraftStorage {
  /**
   * The valid, unexpired draft, or `null` (also when the storage failed); a corrupt,
   * wrong-version or expired entry is removed.
   */
  read(owner: DraftOwner, key: string): DraftValues | null;
  /**
   * Store `fieldsJson` (the JSON text of the values) stamped with the current time, and with
   * `ttlMs` when given (the form's own); `false` when the storage failed.
   */
  write(owner: DraftOwner, key: string, fieldsJson: string, ttlMs?: number): boolean;
  remove(owner: DraftOwner, key: string): void;
  /**
   * Remove every draft whose owner `matches`; with `sweepOthers`, also remove invalid or
   * expired drafts of the other owners. `known` lists the drafts this page has seen: the only
   * ones that can be found when the storage cannot list its keys.
   */
  removeUsers(
    matches: (owner: DraftOwner) => boolean,
    sweepOthers: boolean,
    known: () => Iterable<readonly [DraftOwner, string]>,
  ): void;
}

/**
 * The JSON text of the `fields` of an entry holding `values`.
 * @throws TypeError when `values` is not a plain object (`null` prototype included): `null`, a
 *   primitive or an array (a programming error).
 */
export function fieldsJson(values: unknown): string {
  const proto =
    typeof values === 'object' &&
    values !== null &&
    !Array.isArray(values) &&
    Object.getPrototypeOf(values);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError('Draft values must be a plain object');
  }
  return JSON.stringify(values);
}

/** The entry stored as `raw`; `undefined` when it is not JSON or not a valid entry. */
function parseEntry(raw: string): Entry | undefined {
  const entry = parseJson(raw);
  return isEntry(entry) ? entry : undefined;
}

export function createDraftStorage(
  env: RuntimeEnv,
  option: StorageOption,
  name: string,
  ttlMs: number,
  onError: (error: SessionError) => void,
): DraftStorage {
  const prefix = `${name}:draft:`;
  const storageKey = (owner: DraftOwner, key: string) =>
    `${prefix}${owner === null ? ANONYMOUS : encodeURIComponent(owner)}:${encodeURIComponent(key)}`;
  const use = guardStorage(env, option, 'Draft', onError);

  /** The owner of a storage key of this store; `undefined` for any other key. */
  function ownerOf(key: string): DraftOwner | undefined {
    const rest = key.startsWith(prefix) ? key.slice(prefix.length) : '';
    const end = rest.indexOf(':');
    if (end < 0) return undefined;
    const owner = rest.slice(0, end);
    if (owner === ANONYMOUS) return null;
    try {
      return decodeURIComponent(owner);
    } catch {
      return undefined;
    }
  }

  function readAt(storage: StorageLike, key: string): DraftValues | null {
    const raw = storage.getItem(key);
    if (raw === null) return null;
    const entry = parseEntry(raw);
    if (entry && entry.savedAt + (entry.ttlMs ?? ttlMs) >= env.now()) return entry.fields;
    storage.removeItem(key);
    return null;
  }

  return {
    read: (owner, key) => use('read', (storage) => readAt(storage, storageKey(owner, key))) ?? null,
    write(owner, key, fieldsJson, ownTtlMs) {
      const ttl = ownTtlMs === undefined ? '' : `"ttlMs":${ownTtlMs},`;
      const entry = `{"v":1,"savedAt":${env.now()},${ttl}"fields":${fieldsJson}}`;
      return !!use(
        'write',
        (storage) => {
          storage.setItem(storageKey(owner, key), entry);
          return true;
        },
        true,
      );
    },
    remove(owner, key) {
      use('remove', (storage) => storage.removeItem(storageKey(owner, key)));
    },
    removeUsers(matches, sweepOthers, known) {
      use('purge', (storage) => {
        const keys =
          storageKeys(storage) ?? Array.from(known(), ([owner, key]) => storageKey(owner, key));
        for (const key of keys) {
          const owner = ownerOf(key);
          if (owner === undefined) continue;
          if (matches(owner)) storage.removeItem(key);
          else if (sweepOthers) readAt(storage, key);
        }
      });
    },
  };
}
