import { createListeners } from './emitter';
import type { SessionError } from './errors';
import type { TokenSet } from './tokens';
import type { SessionSnapshot, SessionStatus, SessionUser } from './types';

/** Everything a snapshot is made of; the snapshot is derived from it. */
export interface SessionState {
  status: SessionStatus;
  tokens: TokenSet | null;
  user: SessionUser | null;
  reason: string | undefined;
  lastError: SessionError | undefined;
  idle: SessionSnapshot['idle'];
  pendingRequests: number;
  sessionEndsAt: number | null;
}

/** When to refresh: `beforeMs` before expiry, or at half-life for tokens living less than twice that. */
export function refreshTime(tokens: TokenSet, beforeMs: number): number {
  const lifetime = tokens.expiresAt - tokens.obtainedAt;
  return lifetime < 2 * beforeMs ? tokens.obtainedAt + lifetime / 2 : tokens.expiresAt - beforeMs;
}

export function toUser(tokens: TokenSet): SessionUser {
  return { id: tokens.userId ?? null, claims: tokens.claims };
}

const KEYS = [
  'status',
  'user',
  'expiresAt',
  'refreshAt',
  'sessionEndsAt',
  'idle',
  'pendingRequests',
  'reason',
  'lastError',
] as const;

/**
 * The session's state and its immutable snapshot: a new snapshot object (and a notification)
 * only when a field of it changed, so `useSyncExternalStore` re-renders only then.
 */
export function createSessionState(initial: SessionState, refreshBeforeMs: number) {
  let state = initial;
  const listeners = createListeners();
  const derive = (s: SessionState): SessionSnapshot => ({
    status: s.status,
    user: s.user,
    expiresAt: s.tokens?.expiresAt ?? null,
    refreshAt: s.tokens ? refreshTime(s.tokens, refreshBeforeMs) : null,
    sessionEndsAt: s.sessionEndsAt,
    idle: s.idle,
    pendingRequests: s.pendingRequests,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
  });
  let snapshot = derive(state);

  return {
    get: () => state,
    snapshot: () => snapshot,
    subscribe: listeners.subscribe,
    set(patch: Partial<SessionState>) {
      state = { ...state, ...patch };
      const next = derive(state);
      if (KEYS.every((key) => Object.is(next[key], snapshot[key]))) return;
      snapshot = next;
      listeners.notify();
    },
    clearListeners: listeners.clear,
  };
}

export type SessionStateStore = ReturnType<typeof createSessionState>;
