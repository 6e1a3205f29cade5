// First: it is evaluated before oidc-client-ts's modules (ES modules run in import order).
import './import-start';
import { User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { SessionStatus } from 'sessionkeeper';
import type { BenchPage } from './main';
import { statusWaiters } from './status-waiters';

/**
 * The comparison page: oidc-client-ts 3.5 as an app would start it in a new tab (a `UserManager`
 * whose user lives in localStorage, metadata given inline so that nothing is fetched, no silent
 * renew, no session monitor), with the same marks and the same `window.__bench` as the
 * sessionkeeper page (main.ts), so that the bench reads both alike. After it is ready it sends
 * one authorized request (`GET /api/me` with the stored access token) and marks
 * `sk:first-request` when that answered 200.
 */
performance.mark('sk:import-end');

const authority = location.origin;
/** The response of the mock server's `POST /auth/login` (body mode: the refresh token in it). */
interface LoginResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

performance.mark('sk:create');
const userManager = new UserManager({
  authority,
  client_id: 'sessionkeeper-bench',
  redirect_uri: location.href.split('?')[0]!,
  metadata: {
    issuer: authority,
    authorization_endpoint: `${authority}/auth/authorize`,
    token_endpoint: `${authority}/auth/refresh`,
  },
  userStore: new WebStorageStateStore({ store: window.localStorage }),
  automaticSilentRenew: false,
  monitorSession: false,
});
performance.mark('sk:created');

const statusLine = document.getElementById('status')!;
let status: SessionStatus = 'initializing';
const waits = statusWaiters(() => status);
const setStatus = (next: SessionStatus) => {
  status = next;
  statusLine.textContent = next;
  waits.changed();
};

/** `GET /api/me` with the user's access token; marks `sk:first-request` when it answered 200. */
async function firstRequest(user: User): Promise<void> {
  const response = await fetch('/api/me', {
    headers: { Authorization: `Bearer ${user.access_token}` },
  });
  if (response.status === 200) performance.mark('sk:first-request');
}

const ready = userManager.getUser().then((user) => {
  const signedIn = user !== null && user.expired !== true;
  // As main.ts: the first status other than `initializing`, whichever it is.
  performance.mark('sk:ready');
  setStatus(signedIn ? 'authenticated' : 'anonymous');
  if (signedIn) void firstRequest(user);
  return status;
});

window.__bench = {
  ready,
  status: () => status,
  whenStatus: waits.whenStatus,
  /**
   * Sign in as `username` with the mock server's password login (as main.ts does) and store the
   * tokens as the `User` oidc-client-ts would have stored after a sign-in: `expires_at` in
   * seconds since the epoch, the profile of an ID token's claims.
   */
  async login(username) {
    const response = await fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, mode: 'body' }),
    });
    if (!response.ok) throw new Error(`POST /auth/login answered ${response.status}`);
    const tokens = (await response.json()) as LoginResponse;
    const now = Math.floor(Date.now() / 1000);
    const user = new User({
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      ...(tokens.refresh_token === undefined ? {} : { refresh_token: tokens.refresh_token }),
      ...(tokens.scope === undefined ? {} : { scope: tokens.scope }),
      expires_at: now + tokens.expires_in,
      profile: {
        sub: username,
        iss: authority,
        aud: userManager.settings.client_id,
        iat: now,
        exp: now + tokens.expires_in,
      },
    });
    await userManager.storeUser(user);
    setStatus('authenticated');
  },
  refreshes: { local: 0, remote: 0 },
} satisfies BenchPage;
