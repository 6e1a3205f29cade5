import type { RuntimeEnv } from '../lib/env';

/** A session's key: the pair, its JWK thumbprint, and whether a sign-in has used it yet. */
export interface KeyRecord {
  readonly keyPair: CryptoKeyPair;
  /** The public key's JWK thumbprint (RFC 7638): the tokens' `cnf.jkt`. */
  readonly jkt: string;
  /** A session signed in with it: the next sign-in needs a new key. */
  readonly bound: boolean;
}

/**
 * Where the key of a session is kept: one record, read and changed as a whole. `update` reads
 * and writes in one step (one IndexedDB transaction), so tabs that change it at once never
 * lose each other's change; it answers the record it left.
 */
export interface KeyStore {
  read(): Promise<KeyRecord | null>;
  update(change: (current: KeyRecord | null) => KeyRecord | null): Promise<KeyRecord | null>;
  close(): void;
}

const DB_NAME = 'sessionkeeper-dpop';
const STORE = 'keys';

/** A stored value that is a key record (anything else, e.g. a later version's, counts as none). */
const asRecord = (value: unknown): KeyRecord | null => {
  const record = value as Partial<KeyRecord> | null | undefined;
  const pair = record?.keyPair;
  return typeof record?.jkt === 'string' &&
    typeof record.bound === 'boolean' &&
    typeof pair?.privateKey === 'object' &&
    typeof pair.publicKey === 'object'
    ? (record as KeyRecord)
    : null;
};

/** The record in this tab's memory: what is used when IndexedDB is not available. */
export function createMemoryKeyStore(): KeyStore {
  let record: KeyRecord | null = null;
  return {
    read: () => Promise.resolve(record),
    update(change) {
      record = change(record);
      return Promise.resolve(record);
    },
    close() {},
  };
}

const openDatabase = (factory: IDBFactory) =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB open blocked'));
  });

/**
 * The record in IndexedDB (database `sessionkeeper-dpop`, under `name`): the browser keeps the
 * CryptoKey objects themselves, so the private key stays non-extractable, and every tab of the
 * origin reads the same one. When IndexedDB is missing or cannot be opened, the record lives in
 * this tab's memory from then on, and `onUnavailable` is told once.
 */
export function createKeyStore(
  env: RuntimeEnv,
  name: string,
  onUnavailable: (cause: unknown) => void,
): KeyStore {
  const memory = createMemoryKeyStore();
  let database: Promise<IDBDatabase | null> | null = null;
  const open = () => {
    let factory: IDBFactory | null = null;
    try {
      factory = env.indexedDB();
    } catch (cause) {
      // Reading `indexedDB` throws in some sandboxed documents.
      return Promise.reject(cause);
    }
    return factory ? openDatabase(factory) : Promise.reject(new Error('No IndexedDB'));
  };
  const db = () =>
    (database ??= open().catch((cause: unknown) => {
      onUnavailable(cause);
      return null;
    }));

  /** One transaction over the record; the memory store's answer when IndexedDB is unavailable. */
  const run = async (
    mode: IDBTransactionMode,
    change?: (current: KeyRecord | null) => KeyRecord | null,
  ): Promise<KeyRecord | null> => {
    const opened = await db();
    if (!opened) return change ? memory.update(change) : memory.read();
    const tx = opened.transaction(STORE, mode);
    const store = tx.objectStore(STORE);
    return new Promise<KeyRecord | null>((resolve, reject) => {
      let result: KeyRecord | null = null;
      const request = store.get(name);
      request.onsuccess = () => {
        const current = asRecord(request.result);
        result = change ? change(current) : current;
        if (change && result !== current) {
          if (result) store.put(result, name);
          else store.delete(name);
        }
      };
      // Answered once the transaction is done: a change is then committed.
      tx.oncomplete = () => resolve(result);
      tx.onabort = tx.onerror = () => reject(tx.error);
    });
  };

  return {
    read: () => run('readonly'),
    update: (change) => run('readwrite', change),
    close() {
      database?.then((opened) => opened?.close()).catch(() => {});
      database = null;
    },
  };
}
