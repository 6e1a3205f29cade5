import { createSession, RefreshError, type Session, type SessionEventMap } from 'sessionkeeper';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { authorize } from './helpers/authorize';
import {
  CLIENT_ID,
  REDIRECT_URI,
  type RunningProvider,
  startProvider,
} from './helpers/oidc-server';
import { recordTokenTraffic } from './helpers/token-traffic';

/** Short enough that a scheduled refresh (at half the lifetime) comes within a second. */
const ACCESS_TOKEN_TTL_SECONDS = 2;

let provider: RunningProvider;
let session: Session | undefined;

beforeEach(async () => {
  provider = await startProvider(ACCESS_TOKEN_TTL_SECONDS);
});
afterEach(async () => {
  session?.destroy();
  session = undefined;
  await provider.close();
});

/** A session in node against the provider's real token endpoint, signed in as alice. */
async function signedInSession(options: { logout?: boolean } = {}) {
  const traffic = recordTokenTraffic(provider.tokenEndpoint);
  const created = createSession({
    // A public client: `client_id` in the form-encoded body, no secret.
    refresh: { url: provider.tokenEndpoint, clientId: CLIENT_ID },
    ...(options.logout
      ? { logout: { url: provider.revocationEndpoint, clientId: CLIENT_ID } }
      : {}),
    crossTab: false,
    env: { fetch: traffic.fetch, window: null, localStorage: null, sessionStorage: null },
  });
  session = created;
  const response = await authorize({
    issuer: provider.issuer,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    username: 'alice',
  });
  expect(response).toHaveProperty('refresh_token');
  await created.login(response);
  return { session: created, traffic, firstRefreshToken: response.refresh_token as string };
}

const nextEvent = <K extends keyof SessionEventMap>(s: Session, type: K) =>
  new Promise<SessionEventMap[K]>((resolve) => {
    const off = s.on(type, (event) => {
      off();
      resolve(event);
    });
  });

describe('sessionkeeper against oidc-provider', () => {
  test('rotation: every refresh sends the newest refresh token once and never reuses one', async () => {
    const { session, traffic, firstRefreshToken } = await signedInSession();
    // The opaque access token names nobody: the user comes from the id_token's `sub`.
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', user: { id: 'alice' } });

    await session.refresh();
    await session.refresh();
    // Five callers at once: the first starts a refresh; the other four may not join one that was
    // already in flight when they called (its token could predate their call), so they share
    // the next one.
    await Promise.all([1, 2, 3, 4, 5].map(() => session.refresh()));
    expect(traffic.exchanges).toHaveLength(4);
    // And the schedule: a refresh at half the token's lifetime, by itself.
    const scheduled = await nextEvent(session, 'refresh');
    expect(scheduled.expiresAt).toBeGreaterThan(Date.now());

    const { exchanges } = traffic;
    expect(exchanges).toHaveLength(5);
    expect(exchanges.every((e) => e.grantType === 'refresh_token' && e.status === 200)).toBe(true);
    // Rotation: each answer carried a new refresh token, and the next request sent exactly it.
    expect(exchanges[0]!.sent).toBe(firstRefreshToken);
    for (let i = 1; i < exchanges.length; i++) {
      expect(exchanges[i]!.sent).toBe(exchanges[i - 1]!.received);
    }
    const sent = exchanges.map((e) => e.sent);
    expect(new Set(sent).size).toBe(sent.length);
    // The provider saw no reuse (which it answers with invalid_grant and a revoked grant).
    expect(provider.log.grants).toEqual(['authorization_code', ...sent.map(() => 'refresh_token')]);
    expect(provider.log.grantErrors).toEqual([]);
    expect(provider.log.revokedGrants).toBe(0);
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  test('control: the provider does detect reuse, so the rotation test would see it', async () => {
    const { session, firstRefreshToken } = await signedInSession();
    await session.refresh();
    // Someone sends the already rotated first token again: the provider revokes the grant.
    const reuse = await fetch(provider.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: firstRefreshToken,
        client_id: CLIENT_ID,
      }),
    });
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect(provider.log.grantErrors).toEqual(['refresh token already used']);
    expect(provider.log.revokedGrants).toBeGreaterThan(0);
    // The session's own (current) token went with the grant: its next refresh ends it.
    await expect(session.refresh()).rejects.toMatchObject({ kind: 'rejected' });
    expect(session.getSnapshot().status).toBe('expired');
  });

  test('invalid_grant after the refresh token was revoked ends the session', async () => {
    const { session, traffic } = await signedInSession();
    await session.refresh();
    const current = traffic.exchanges.at(-1)!.received!;
    // Revoked elsewhere (RFC 7009): an administrator, or a sign-out on another device.
    const revoked = await fetch(provider.revocationEndpoint, {
      method: 'POST',
      body: new URLSearchParams({ token: current, client_id: CLIENT_ID }),
    });
    expect(revoked.status).toBe(200);

    const expired = nextEvent(session, 'expired');
    const failure = await session.refresh().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RefreshError);
    expect(failure).toMatchObject({ kind: 'rejected', status: 400, code: 'REFRESH_REJECTED' });
    expect(await expired).toEqual({ reason: 'refresh-rejected' });
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', user: { id: 'alice' } });
    expect(traffic.exchanges.at(-1)).toMatchObject({ sent: current, error: 'invalid_grant' });
    expect(provider.log.grantErrors).toHaveLength(1);
    expect(provider.log.grantErrors[0]).not.toMatch(/already used/);
  });

  test('logout revokes the refresh token at the revocation endpoint', async () => {
    const { session, traffic } = await signedInSession({ logout: true });
    await session.refresh();
    const current = traffic.exchanges.at(-1)!.received!;
    await session.logout();
    expect(session.getSnapshot().status).toBe('anonymous');

    const reuse = await fetch(provider.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: current,
        client_id: CLIENT_ID,
      }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
