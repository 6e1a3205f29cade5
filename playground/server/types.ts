import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessClaims } from './jwt';
import type { FailureKind, RefreshMode } from './schemas';
import type { MockAuthState } from './state';
import type { DemoUser } from './users';

/** Options of the mock auth server. */
export interface MockAuthOptions {
  /** The server's clock in epoch ms, injectable so tests need no sleeps. @default Date.now */
  now?: () => number;
  /** Access-token lifetime in seconds. @default 300 */
  accessTtlSeconds?: number;
  /** Refresh-token lifetime in seconds, counted from each rotation. @default 3600 */
  refreshTtlSeconds?: number;
  /** Delay in ms added before every `/auth/*` and `/api/*` answer. @default 0 */
  latencyMs?: number;
}

export interface MockConfig {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  latencyMs: number;
}

export interface MockCounters {
  logins: number;
  /** Successful refreshes. */
  refreshes: number;
  /** Refresh requests that were not answered with tokens (injected failures included). */
  refreshFailures: number;
  /** Refresh requests with no refresh token at all: a start-up probe when nobody is signed in. */
  noSession: number;
  /** Refresh requests that presented an already-rotated token (each revoked the family). */
  reuseRejections: number;
  /**
   * Answers from `/api/*` that refused the token: 401s, and `/api/graphql`'s `200` with
   * `errors[].extensions.code: 'UNAUTHENTICATED'`.
   */
  unauthorized: number;
  /** Requests to the `/api/*` routes. */
  requests: number;
  logouts: number;
}

/** One login: every refresh token rotated from it belongs to the same family. */
export interface SessionFamily {
  id: string;
  username: string;
  mode: RefreshMode;
  createdAt: number;
  revoked: boolean;
  /** Successful refreshes in this family. */
  rotations: number;
}

/** RFC 6749 §5.1 token response, plus Keycloak's `refresh_expires_in`. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
  refresh_token?: string;
}

export interface IssuedTokens {
  response: TokenResponse;
  refreshToken: string;
  family: SessionFamily;
}

export type RefreshOutcome =
  | { ok: true; tokens: IssuedTokens }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

export type AccessCheck =
  | { ok: true; claims: AccessClaims; user: DemoUser }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'revoked' | 'invalidated' };

/** Everything `GET /mock/state` answers. No token or secret is ever part of it. */
export interface MockStateSnapshot {
  now: number;
  config: MockConfig;
  counters: MockCounters;
  /** Epoch ms of every successful refresh, per user. */
  refreshLog: Record<string, number[]>;
  sessions: SessionFamily[];
  pendingFailures: { kind: FailureKind; remaining: number }[];
}

/** What every route handler gets. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  state: MockAuthState;
  /** Wait `ms` (real time); resolves `false` when the client went away meanwhile. */
  delay(ms: number): Promise<boolean>;
}
