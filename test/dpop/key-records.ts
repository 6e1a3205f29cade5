/** What the DPoP module keeps in IndexedDB for the session `name` (`null`: nothing). */
export async function storedKey(
  indexedDB: IDBFactory,
  name = 'sessionkeeper',
): Promise<{ keyPair: CryptoKeyPair; jkt: string; bound: boolean } | null> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('sessionkeeper-dpop', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('keys');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    return await new Promise((resolve, reject) => {
      const request = db.transaction('keys').objectStore('keys').get(name);
      request.onsuccess = () => resolve(request.result ?? null);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** Delete the record, as clearing the site's data would. */
export async function deleteStoredKey(indexedDB: IDBFactory, name = 'sessionkeeper') {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('sessionkeeper-dpop', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('keys');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('keys', 'readwrite');
    tx.objectStore('keys').delete(name);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}
