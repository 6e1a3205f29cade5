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

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function createGenerationRecord(env: RuntimeEnv, key: string): GenerationRecord {
  let db: Promise<IDBDatabase | null> | null = null;
  const open = (): Promise<IDBDatabase | null> => {
    if (db) return db;
    const factory = env.indexedDB();
    if (!factory) return Promise.resolve(null);
    db = new Promise<IDBDatabase | null>((resolve) => {
      try {
        const req = factory.open(DB_NAME, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => resolve(null);
        req.onblocked = () => resolve(null);
      } catch {
        resolve(null);
      }
    });
    return db;
  };
  return {
    async read() {
      try {
        const database = await open();
        if (!database) return null;
        const value = await request(
          database.transaction(STORE, 'readonly').objectStore(STORE).get(key),
        );
        return typeof value === 'number' ? value : null;
      } catch {
        return null;
      }
    },
    async write(obtainedAt) {
      try {
        const database = await open();
        if (!database) return;
        const tx = database.transaction(STORE, 'readwrite');
        tx.objectStore(STORE).put(obtainedAt, key);
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      } catch {
        // Best effort: the broadcast still carries the tokens.
      }
    },
    close() {
      db?.then((database) => database?.close()).catch(() => {});
      db = null;
    },
  };
}
