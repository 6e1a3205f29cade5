import type { RuntimeEnv } from './env';
import { QueueFullError, SessionError, SessionExpiredError } from './errors';
import { createGate, type Waiter } from './gate';
import type { RefreshLoop } from './refresh-loop';
import type { SessionStateStore } from './session-state';
import { refreshTime } from './session-state';
import type { TokenSet } from './tokens';
import type { QueueOptions, SessionUser } from './types';

export const destroyedError = () => new SessionError('DESTROYED', 'The session was destroyed');

interface Deps {
  env: RuntimeEnv;
  state: SessionStateStore;
  queue: Required<QueueOptions>;
  beforeMs: number;
  loop: RefreshLoop;
  /** Settles when the session knows whether someone is signed in. */
  ready(): Promise<void>;
  isDestroyed(): boolean;
}

/**
 * Handing out tokens: at once when the one held is valid, after the refresh when one is in
 * flight or due, and — while the session is expired — only after the same user signs in again.
 */
export function createTokenAccess({ env, state, queue, beforeMs, loop, ready, isDestroyed }: Deps) {
  const gate = createGate(
    env,
    () => queue.holdTimeoutMs,
    (waiter) => {
      const { lastError, status, reason } = state.get();
      // Waiting out transient refresh failures: the reason is the last failure.
      return waiter.kind === 'waiting' && status !== 'expired' && lastError
        ? lastError
        : new SessionExpiredError(status === 'expired' ? (reason ?? 'expired') : 'hold-timeout');
    },
    () => state.set({ pendingRequests: gate.size }),
  );
  const refreshInBackground = () => loop.start().catch(() => {});

  /** A token for a request, or `null` when signed out; waits for a refresh, holds while expired. */
  async function acquire(signal?: AbortSignal): Promise<TokenSet | null> {
    if (isDestroyed()) throw destroyedError();
    if (state.get().status === 'initializing') await ready();
    signal?.throwIfAborted();
    if (isDestroyed()) throw destroyedError();
    const { status, tokens, user, reason } = state.get();
    if (status === 'anonymous') return null;
    if (status === 'expired') {
      if (queue.whileExpired === 'reject') throw new SessionExpiredError(reason ?? 'expired');
      if (gate.heldCount >= queue.maxSize) throw new QueueFullError(queue.maxSize);
      return gate.wait('held', user?.id ?? null, signal);
    }
    const now = env.now();
    if (tokens && !loop.inFlight && now < tokens.expiresAt) {
      // A validity check at use time: a timer may have fired late (sleep, background tab).
      if (now < refreshTime(tokens, beforeMs) || loop.isRetrying) return tokens;
    }
    if (!loop.inFlight && !loop.isRetrying) refreshInBackground();
    return gate.wait('waiting', user?.id ?? null, signal);
  }

  return {
    acquire,
    /** A request carrying `accessToken` got a 401: one shared refresh, unless a newer token is here. */
    renewAfter401(accessToken: string, signal?: AbortSignal) {
      const { tokens, status } = state.get();
      // A 401 is stronger evidence than a backoff timer: refresh now (or join the one in flight).
      if (
        (status === 'authenticated' || status === 'refreshing') &&
        tokens?.accessToken === accessToken
      ) {
        refreshInBackground();
      }
      return acquire(signal);
    },
    /** New tokens: waiters of the same session get them; held ones only for the same user. */
    release(user: SessionUser, tokens: TokenSet, sameSession: boolean) {
      gate.release(
        tokens,
        (waiter: Waiter) =>
          (waiter.kind === 'waiting' && sameSession) ||
          (waiter.userId !== null && waiter.userId === user.id),
        () => new SessionExpiredError('user-changed'),
      );
    },
    holdAll: () => gate.holdAll(),
    rejectAll: (error: SessionError) => gate.rejectAll(error),
  };
}
