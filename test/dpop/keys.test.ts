import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDpop } from '../../src/dpop/index';
import { createSession } from '../../src/index';
import { AUTH_MODES, createModeBrowser, setupModeSession } from '../helpers/auth-modes';
import type { DpopServer } from '../helpers/dpop-server';
import { settle } from '../helpers/http';
import { ORIGIN, recordEvents, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';
import { settle as settleTabs } from '../helpers/tabs';
import { FakeWindow } from '../helpers/window';
import { deleteStoredKey, storedKey } from './key-records';

installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const DPOP = AUTH_MODES[1];
const API = `${ORIGIN}/api`;

function setup(options: Parameters<typeof setupModeSession>[1] = {}) {
  const created = setupModeSession(DPOP, { http: { prefix: API }, ...options });
  return { ...created, front: created.dpopServer as DpopServer, idb: created.indexedDB! };
}

describe('the DPoP key', () => {
  it('is an ES256 pair whose private key cannot be exported, kept in IndexedDB under the session name', async () => {
    const { idb, signIn, front } = setup({ crossTab: { name: 'shop' } });
    const login = await signIn();
    const stored = await storedKey(idb, 'shop');
    expect(stored?.keyPair.privateKey).toMatchObject({
      type: 'private',
      extractable: false,
      algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
    });
    await expect(crypto.subtle.exportKey('jwk', stored!.keyPair.privateKey)).rejects.toThrow();
    expect(stored?.jkt).toBe(front.boundTo(login.access_token));
    expect(await storedKey(idb, 'sessionkeeper')).toBeNull(); // namespaced by crossTab.name
  });

  it('a sign-in gets a new key: a forced re-login makes another, logout deletes it', async () => {
    const { session, idb, signIn, front } = setup();
    const dpop = session.dpop!;
    const before = await dpop.thumbprint(); // signed out: the key of the next sign-in
    expect(await dpop.thumbprint()).toBe(before); // the same until a sign-in uses it
    const first = await signIn();
    expect(front.boundTo(first.access_token)).toBe(before);
    session.expire();
    const second = await signIn();
    const secondKey = front.boundTo(second.access_token);
    expect(secondKey).not.toBe(before);
    expect(await storedKey(idb)).toMatchObject({ jkt: secondKey, bound: true });
    await session.logout();
    await settle();
    expect(await storedKey(idb)).toBeNull();
    expect(await dpop.thumbprint()).not.toBe(secondKey);
  });

  it('dpop_jkt: the thumbprint taken before the redirect is the key of the code exchange after it', async () => {
    const { session, idb, front, server, win } = setup();
    const jkt = await session.dpop!.thumbprint();
    session.destroy();
    // The callback page: a new document, the same IndexedDB.
    const dpop = createDpop();
    const page = createSession({
      refresh: `${ORIGIN}/token`,
      crossTab: false,
      dpop,
      env: { fetch: front.fetch, window: win, indexedDB: idb, BroadcastChannel: null, locks: null },
    });
    const response = await dpop.fetch(`${ORIGIN}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'alice' }),
    });
    const raw = (await response.json()) as { access_token: string };
    await page.login(raw);
    expect(front.boundTo(raw.access_token)).toBe(jkt);
    expect(server.counts).toMatchObject({ refresh: 0 });
    page.destroy();
  });

  it('survives a reload: the restored session signs with the stored key', async () => {
    const { session, idb, front, server, signIn, sessionStorage } = setup({ storage: 'session' });
    await signIn();
    session.destroy();
    const reloaded = createSession({
      refresh: `${ORIGIN}/token`,
      crossTab: false,
      storage: 'session',
      http: { prefix: API },
      dpop: createDpop(),
      env: {
        fetch: front.fetch,
        window: new FakeWindow(ORIGIN),
        sessionStorage,
        indexedDB: idb,
        BroadcastChannel: null,
        locks: null,
      },
    });
    await settle();
    expect(await reloaded.http.get('me').json()).toMatchObject({ user: 'alice' });
    await reloaded.refresh();
    expect(front.judged.map((j) => j.verdict)).toEqual(['ok', 'ok', 'ok']);
    expect(server.counts.reuse).toBe(0);
    reloaded.destroy();
  });

  it('two tabs share one key; after a re-login in one, the other signs with the new key', async () => {
    const browser = createModeBrowser(DPOP, { accessTtlS: 600 });
    const [a, b] = [browser.open(), browser.open()];
    const front = browser.dpopServer as DpopServer;
    const first = await browser.signIn(a, 'alice');
    await settleTabs();
    await b?.session.fetch(`${API}/from-b`);
    await b?.session.refresh();
    await a?.session.fetch(`${API}/from-a`);
    const jwks = front.judged.map((j) => JSON.stringify(j.proof?.header.jwk));
    expect(new Set(jwks).size).toBe(1);
    expect(front.judged.every((j) => j.verdict === 'ok')).toBe(true);
    a?.session.expire();
    await settleTabs();
    const second = await browser.signIn(a, 'alice');
    await settleTabs();
    await b?.session.fetch(`${API}/from-b-again`);
    const last = front.judged.at(-1);
    expect(last).toMatchObject({ path: '/api/from-b-again', verdict: 'ok' });
    expect(front.boundTo(second.access_token)).not.toBe(front.boundTo(first.access_token));
    expect(browser.server.counts.reuse).toBe(0);
  });

  it('without IndexedDB the key lives in the tab’s memory: an error event says so, and the tab works', async () => {
    const { session, signIn, ofType } = setup({ env: { indexedDB: null } });
    await signIn();
    expect(await session.http.get('me').json()).toMatchObject({ user: 'alice' });
    await session.refresh();
    expect(ofType('error')).toMatchObject([
      { source: 'dpop', error: { code: 'DPOP_KEY_NOT_PERSISTED' } },
    ]);
  });

  it('a key that is gone (site data cleared): the refresh fails as rejected, the session expires', async () => {
    const { session, idb, signIn, ofType } = setup({ crossTab: { name: 'sessionkeeper' } });
    await signIn();
    await deleteStoredKey(idb);
    await expect(session.refresh()).rejects.toMatchObject({ code: 'REFRESH_REJECTED' });
    expect(ofType('error')).toMatchObject([
      { source: 'dpop', error: { code: 'DPOP_KEY_MISSING' } },
    ]);
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'refresh-rejected' });
  });

  it('tokens restored without their key: an error event, and their requests reject with DPOP_KEY_MISSING', async () => {
    const { session, idb, signIn, sessionStorage, front } = setup({ storage: 'session' });
    await signIn();
    session.destroy();
    await deleteStoredKey(idb);
    const reloaded = createSession({
      refresh: `${ORIGIN}/token`,
      crossTab: false,
      storage: 'session',
      dpop: createDpop(),
      env: {
        fetch: front.fetch,
        window: new FakeWindow(ORIGIN),
        sessionStorage,
        indexedDB: idb,
        BroadcastChannel: null,
        locks: null,
      },
    });
    const { ofType } = recordEvents(reloaded);
    await settle();
    expect(reloaded.getSnapshot().status).toBe('authenticated');
    expect(ofType('error')).toMatchObject([
      { source: 'dpop', error: { code: 'DPOP_KEY_MISSING' } },
    ]);
    await expect(reloaded.fetch(`${API}/me`)).rejects.toMatchObject({ code: 'DPOP_KEY_MISSING' });
    reloaded.destroy();
  });
});
