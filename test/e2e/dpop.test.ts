import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startDpopServer } from './dpop/server';
import { type Browser, launchBrowser } from './helpers/browser';
import { test } from './helpers/suite';

// sessionkeeper/dpop in a real Chromium: WebCrypto's own non-extractable key, kept in the
// profile's IndexedDB, shared by two tabs and still there after a reload.

let server: Awaited<ReturnType<typeof startDpopServer>> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  server = await startDpopServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

interface PageApi {
  signIn(user: string): Promise<void>;
  me(): Promise<{ status: number; body: { user?: string; jkt?: string } }>;
  refresh(): Promise<void>;
  logout(): Promise<void>;
  status(): string;
  storedKey(): Promise<{
    jkt: string;
    type: string;
    extractable: boolean;
    algorithm: { name: string; namedCurve?: string };
    exported: string;
  } | null>;
}

const open = async (): Promise<Page> => {
  const page = await browser!.context.newPage();
  await page.goto(server!.url);
  await page.waitForFunction(() => document.title === 'ready');
  return page;
};
const call = <T>(page: Page, run: (sk: PageApi) => Promise<T> | T) =>
  page.evaluate(`(${run.toString()})(window.sk)`) as Promise<T>;
const waitForStatus = (page: Page, status: string) =>
  page.waitForFunction(
    (expected) => (window as unknown as { sk: PageApi }).sk.status() === expected,
    status,
  );

test('the DPoP key: not extractable, shared by two tabs, still there after a reload', async () => {
  const a = await open();
  await call(a, (sk) => sk.signIn('alice'));
  const key = await call(a, (sk) => sk.storedKey());
  expect(key).toMatchObject({
    type: 'private',
    extractable: false,
    algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
    exported: 'InvalidAccessError', // crypto.subtle.exportKey fails
  });
  expect(await call(a, (sk) => sk.me())).toMatchObject({
    status: 200,
    body: { user: 'alice', jkt: key?.jkt },
  });

  // A second tab takes the session from the first and signs with the same key; its refresh too.
  const b = await open();
  await waitForStatus(b, 'authenticated');
  expect(await call(b, (sk) => sk.me())).toMatchObject({ status: 200, body: { jkt: key?.jkt } });
  await call(b, (sk) => sk.refresh());
  expect(await call(a, (sk) => sk.me())).toMatchObject({ status: 200, body: { jkt: key?.jkt } });

  // A reload: the tokens come back from sessionStorage, the key from IndexedDB.
  await a.reload();
  await a.waitForFunction(() => document.title === 'ready');
  await waitForStatus(a, 'authenticated');
  expect(await call(a, (sk) => sk.me())).toMatchObject({ status: 200, body: { jkt: key?.jkt } });
  await call(a, (sk) => sk.refresh());
  expect(await call(b, (sk) => sk.me())).toMatchObject({ status: 200, body: { jkt: key?.jkt } });
  expect((await call(a, (sk) => sk.storedKey()))?.jkt).toBe(key?.jkt);

  expect(server!.verdicts.filter((v) => v.verdict !== 'ok' || v.jkt !== key?.jkt)).toEqual([]);
  expect(server!.counts).toEqual({ refreshes: 2, reuse: 0 });

  // A logout in either tab revokes the refresh token (with a proof) and deletes the key.
  await call(b, (sk) => sk.logout());
  await waitForStatus(a, 'anonymous');
  expect(await call(a, (sk) => sk.storedKey())).toBeNull();
  expect(server!.verdicts.at(-1)).toMatchObject({ path: '/revoke', verdict: 'ok', jkt: key?.jkt });
});
