import type { RuntimeEnv } from '../lib/env';
import type { TokenSet } from '../tokens/token-set';

/** Which token set is the newest: its session's stamp and its own (see `stamps.ts`). */
export type Generation = Pick<TokenSet, 'sessionStamp' | 'stamp'>;

/**
 * The newest token set of the session, in a place every tab reads consistently: IndexedDB.
 * BroadcastChannel delivery is not ordered with a Web Lock hand-over, and localStorage is not
 * instantly shared between Chromium's tab processes, so a tab that takes the refresh lock reads
 * this record to learn whether its refresh token was already rotated before it sends it.
 * Without IndexedDB the record is unknown (`null`) and tabs rely on the broadcast alone.
 */
export interface GenerationRecord {
  read(): Promise<Generation | null>;
  /** Record `tokens` as the newest, unless the record already holds a newer one. */
  write(tokens: Generation): Promise<void>;
  close(): void;
}

const DB_NAME = 'sessionkeeper';
const STORE = 'generations';

/** Is `a` newer than `b`: a later session, or a later token set of the same session? */
export const isNewer = (a: Generation, b: Generation) =>
  a.sessionStamp > b.sessionStamp || (a.sessionStamp === b.sessionStamp && a.stamp > b.stamp);

const asGeneration = (value: unknown): Generation | null => {
  const record = value as Partial<Generation> | null | undefined;
  return typeof record?.sessionStamp === 'number' && typeof record.stamp === 'number'
    ? { sessionStamp: record.sessionStamp, stamp: record.stamp }
    : null;
};

export function createGenerationRecord(env: RuntimeEnv, key: string): GenerationRecord {
  let db: Promise<IDBDatabase | null> | null = null;

  const open = () => {
    const factory = env.indexedDB();
    if (!factory) return Promise.resolve(null);
    // A failed open (or one blocked by an older version) leaves the record unknown for good.
    return new Promise<IDBDatabase | null>((resolve) => {
      const request = factory.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = request.onblocked = () => resolve(null);
    });
  };

  /** One transaction over the store; `undefined` when IndexedDB fails. */
  const run = async <T>(
    mode: IDBTransactionMode,
    body: (store: IDBObjectStore, done: (value: T) => void) => void,
  ): Promise<T | undefined> => {
    try {
      db ??= open();
      const database = await db;
      if (!database) return undefined;
      const tx = database.transaction(STORE, mode);
      return await new Promise<T>((resolve, reject) => {
        let result: T;
        body(tx.objectStore(STORE), (value) => {
          result = value;
        });
        // Answered once the transaction is done: a write is then committed.
        tx.oncomplete = () => resolve(result);
        tx.onabort = tx.onerror = () => reject(tx.error);
      });
    } catch {
      return undefined;
    }
  };

  return {
    async read() {
      const value = await run<unknown>('readonly', (store, done) => {
        const request = store.get(key);
        request.onsuccess = () => done(request.result);
      });
      return asGeneration(value);
    },
    async write(tokens) {
      const next: Generation = { sessionStamp: tokens.sessionStamp, stamp: tokens.stamp };
      // Read and written in one transaction: a late write never replaces a newer record.
      // Best effort: the broadcast still carries the tokens.
      await run<void>('readwrite', (store) => {
        const request = store.get(key);
        request.onsuccess = () => {
          // An entry of an older version (a number) counts as none.
          const current = asGeneration(request.result);
          if (!current || isNewer(next, current)) store.put(next, key);
        };
      });
    },
    close() {
      db?.then((database) => database?.close()).catch(() => {});
      db = null;
    },
  };
}
