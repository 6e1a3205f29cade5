import type { Session } from 'sessionkeeper';
import type { FailureKind } from '../../server/schemas';
import type { MockConfig, MockCounters } from '../../server/types';

/** The demo users of the mock auth server (playground/server/users.ts). */
export const DEMO_USERS = ['alice', 'bob', 'carol'] as const;
export type DemoUsername = (typeof DEMO_USERS)[number];

/** What the page shows of `GET /mock/state` (no token or secret is ever in it). */
export interface ServerState {
  config: MockConfig;
  counters: MockCounters;
  pendingFailures: { kind: BreakKind; remaining: number }[];
}

/** How `POST /mock/fail-next-refresh` makes the next refresh fail. */
export type BreakKind = FailureKind;

async function post(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json: unknown = await response.json();
  if (!response.ok) {
    const description = (json as { error_description?: string }).error_description;
    throw new Error(description ?? `${path} answered ${response.status}`);
  }
  return json;
}

/**
 * Sign in as a demo user: the app's own login call (cookie mode: the refresh token is set as an
 * httpOnly cookie), whose token response is handed to the session.
 */
export async function signIn(session: Session, username: string): Promise<void> {
  await session.login(await post('/auth/login', { username }));
}

/** The mock server's config and counters. */
export async function readServerState(): Promise<ServerState> {
  const response = await fetch('/mock/state');
  return (await response.json()) as ServerState;
}

/** Token lifetime (seconds) and latency (ms) of the mock server. */
export async function configureServer(patch: {
  accessTtlSeconds?: number;
  latencyMs?: number;
}): Promise<void> {
  await post('/mock/config', patch);
}

/** Revoke every session of `username` on the server: its next refresh is rejected. */
export async function revokeOnServer(username: string): Promise<void> {
  await post('/mock/revoke', { username });
}

/**
 * Make the server refuse every access token it gave `username` so far; the refresh token stays
 * valid. Returns how many tokens it refused.
 */
export async function invalidateOnServer(username: string): Promise<number> {
  const { invalidated } = (await post('/mock/invalidate-access', { username })) as {
    invalidated: number;
  };
  return invalidated;
}

/** The ways the next refresh can be broken, and what the page will do about each. */
export const BREAKS: readonly { kind: BreakKind; label: string; effect: string }[] = [
  { kind: 'network', label: 'network error', effect: 'The session retries with backoff.' },
  { kind: 'server', label: '500', effect: 'The session retries with backoff.' },
  {
    kind: 'invalid_grant',
    label: 'invalid_grant',
    effect: 'The session ends: a forced re-login.',
  },
];

/** How the page comes back signed in after a reload, and why a first visit sends no refresh. */
export const PROBE_EXPLAINED =
  'After a reload the page signs you back in with one refresh, sent with the httpOnly cookie. It sends that start-up check only when the readable sk_session cookie says there is a session; one without a cookie is answered 400 and counted apart, not as a failed refresh.';

/** What "Revoke session on the server" does, as the page explains it. */
export const REVOKE_EXPLAINED =
  'Revoking ends the session on the server only. This page still says authenticated until its next refresh or request: the server rejects that one, and the sign-in dialog opens.';

/** Make the next refresh fail: a dropped connection, a 500, or `invalid_grant`. */
export async function breakNextRefresh(kind: BreakKind): Promise<void> {
  await post('/mock/fail-next-refresh', { kind });
}
