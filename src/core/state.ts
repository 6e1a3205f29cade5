import { createListeners } from '../lib/emitter';
import type { SessionError } from '../lib/errors';
import { refreshTime } from '../refresh/schedule';
import type { TokenSet } from '../tokens/token-set';
import type { SessionSnapshot, SessionStatus, SessionUser } from './types';

/** Everything a snapshot is made of; the snapshot is derived from it. */
export interface SessionState {
  status: SessionStatus;
  tokens: TokenSet | null;
  user: SessionUser | null;
  reason?: string | undefined;
  lastError?: SessionError | undefined;
  idle: SessionSnapshot['idle'];
  pendingRequests: number;
  sessionEndsAt: number | null;
  /**
   * The stamp of the sign-in that began the session held, kept while it is expired (see
   * `stamps.ts`); `null` when signed out. A sign-out from another tab older than it is stale.
   */
  sessionStamp: number | null;
  /** The stamp of the last logout seen or made here (0: none): older sign-ins are stale. */
  signedOutStamp: number;
  /**
   * The stamp of the expiry while `expired` (0 otherwise): of two expiries of one session in two
   * tabs at once, every tab keeps the later one's reason.
   */
  expiryStamp: number;
}

/** What a logout resets; also the state before anyone signed in. */
export const SIGNED_OUT = {
  status: 'anonymous',
  tokens: null,
  user: null,
  reason: undefined,
  lastError: undefined,
  sessionStamp: null,
} as const satisfies Partial<SessionState>;

export function toUser(tokens: TokenSet): SessionUser {
  return { id: tokens.userId ?? null, claims: tokens.claims };
}

/**
 * The session's state and its immutable snapshot: a new snapshot object (and a notification)
 * only when a field of it changed, so `useSyncExternalStore` re-renders only then. The stamps
 * are not part of the snapshot: they order events between tabs.
 */
export function createSessionState(refreshBeforeMs: number) {
  let state: SessionState = {
    ...SIGNED_OUT,
    idle: null,
    pendingRequests: 0,
    sessionEndsAt: null,
    signedOutStamp: 0,
    expiryStamp: 0,
  };
  const listeners = createListeners();
  const derive = ({ tokens, reason, lastError, ...s }: SessionState): SessionSnapshot => {
    return {
      status: s.status,
      user: s.user,
      expiresAt: tokens?.expiresAt ?? null,
      refreshAt: tokens ? refreshTime(tokens, refreshBeforeMs) : null,
      sessionEndsAt: s.sessionEndsAt,
      idle: s.idle,
      pendingRequests: s.pendingRequests,
      ...(reason === undefined ? {} : { reason }),
      ...(lastError === undefined ? {} : { lastError }),
    };
  };
  let snapshot = derive(state);

  return {
    get: () => state,
    snapshot: () => snapshot,
    /** Whether a user is signed in with a token (`authenticated` or `refreshing`). */
    signedIn: () => state.status === 'authenticated' || state.status === 'refreshing',
    subscribe: listeners.subscribe,
    set(patch: Partial<SessionState>) {
      state = { ...state, ...patch };
      const next = derive(state);
      const keys = Object.keys(next) as (keyof SessionSnapshot)[];
      if (
        keys.length === Object.keys(snapshot).length &&
        keys.every((key) => Object.is(next[key], snapshot[key]))
      ) {
        return;
      }
      snapshot = next;
      listeners.notify();
    },
    clearListeners: listeners.clear,
  };
}

export type SessionStateStore = ReturnType<typeof createSessionState>;
