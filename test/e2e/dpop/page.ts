// The page of the real-browser DPoP test: a session with `sessionkeeper/dpop`, driven from the
// test through `window.sk`.
import { createDpop } from '../../../src/dpop/index';
import { createSession } from '../../../src/index';

const dpop = createDpop();
const session = createSession({
  refresh: { url: '/token', clientId: 'spa' },
  logout: { url: '/revoke', clientId: 'spa' },
  storage: 'session',
  dpop,
});

/** The key record the module keeps in IndexedDB, and what WebCrypto lets a script do with it. */
async function storedKey() {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('sessionkeeper-dpop', 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const record = await new Promise<{ keyPair: CryptoKeyPair; jkt: string } | undefined>(
    (resolve, reject) => {
      const request = db.transaction('keys').objectStore('keys').get('sessionkeeper');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    },
  );
  db.close();
  if (!record) return null;
  const { privateKey } = record.keyPair;
  const exported = await crypto.subtle.exportKey('jwk', privateKey).then(
    () => 'exported',
    (error: Error) => error.name,
  );
  return {
    jkt: record.jkt,
    type: privateKey.type,
    extractable: privateKey.extractable,
    algorithm: privateKey.algorithm,
    exported,
  };
}

const sk = {
  async signIn(user: string) {
    const response = await dpop.fetch('/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: user, client_id: 'spa' }),
    });
    await session.login(await response.json());
  },
  async me() {
    const response = await session.fetch('/api/me');
    return { status: response.status, body: await response.json() };
  },
  refresh: () => session.refresh(),
  logout: () => session.logout(),
  status: () => session.getSnapshot().status,
  storedKey,
};

Object.assign(window, { sk });
document.title = 'ready';
