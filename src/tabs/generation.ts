import type { RuntimeEnv } from '../env';

/**
 * When the newest token set of a session was obtained, in a place every tab reads consistently:
 * IndexedDB. BroadcastChannel delivery is not ordered with a Web Lock hand-over, and localStorage
 * is not instantly shared between Chromium's tab processes, so a tab that takes the refresh lock
 * reads this record to learn whether its refresh token was already rotated before it sends it.
 * Without IndexedDB the record is unknown (`null`) and tabs rely on the broadcast alone.
 */
export interface GenerationRecord {
  read(): Promise<number | null>;
  write(obtainedAt: number): Promise<void>;
  close(): void;
}

const DB_NAME = 'sessionkeeper';
const STORE = 'generations';

export function createGenerationRecord(env: RuntimeEnv, key: string): GenerationRecord {
  let db: Promise<IDBDatabase | null> | null = null;
  /** One request in its own transaction; `undefined` when IndexedDB fails. */
  const run = async (mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest) => {
    try {
      if (!db) {
        const factory = env.indexedDB();
        if (!factory) return undefined;
        // A failed open (or one blocked by an older version) leaves the record unknown for good.
        db = new Promise<IDBDatabase | null>((resolve) => {
          const req = factory.open(DB_NAME, 1);
          req.onupgradeneeded = () => req.result.createObjectStore(STORE);
          req.onsuccess = () => resolve(req.result);
          req.onerror = req.onblocked = () => resolve(null);
        });
      }
      const database = await db;
      if (!database) return undefined;
      const tx = database.transaction(STORE, mode);
      const answer = request(tx.objectStore(STORE));
      await new Promise((resolve, reject) => {
        // A read is answered by its request, a write once its transaction is committed.
        if (mode === 'readonly') answer.onsuccess = resolve;
        else tx.oncomplete = resolve;
        answer.onerror = tx.onabort = () => reject(tx.error);
      });
      return answer.result as unknown;
    } catch {
      return undefined;
    }
  };
  return {
    async read() {
      const value = await run('readonly', (store) => store.get(key));
      return typeof value === 'number' ? value : null;
    },
    async write(obtainedAt) {
      // Best effort: the broadcast still carries the tokens.
      await run('readwrite', (store) => store.put(obtainedAt, key));
    },
    close() {
      db?.then((database) => database?.close()).catch(() => {});
      db = null;
    },
  };
}
