import { QUEUE_HOLD_TIMEOUT_MS, QUEUE_MAX_SIZE } from '../core/options';
import type { SessionStateStore } from '../core/state';
import type { QueueOptions } from '../core/types';
import type { RuntimeEnv, TimerId } from '../lib/env';
import {
  destroyedError,
  QueueFullError,
  type SessionError,
  SessionExpiredError,
} from '../lib/errors';
import type { RefreshLoop } from '../refresh/refresh-loop';
import type { TokenSet } from '../tokens/token-set';

/** `promise`, or a rejection with `signal`'s reason as soon as it aborts. */
const untilAborted = (promise: Promise<void>, signal?: AbortSignal) =>
  signal
    ? new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      })
    : promise;

/** A caller waiting for a token. */
interface Waiter {
  /** `waiting` for a refresh in flight (or due); `held` while the session is expired. */
  kind: 'waiting' | 'held';
  /** The user the caller acted for. */
  userId: string | null;
  resolve(tokens: TokenSet): void;
  reject(error: unknown): void;
}

/** What the request queue works with. */
export interface RequestQueueDeps {
  env: RuntimeEnv;
  state: SessionStateStore;
  loop: RefreshLoop;
  queue: QueueOptions | undefined;
  /** Settles when the session knows whether someone is signed in. */
  ready(): Promise<void>;
  isDestroyed(): boolean;
}

/**
 * The request queue: it hands out tokens at once when the one held is valid, after the refresh
 * when one is in flight or due, and — while the session is expired — only after the same user
 * signs in again. Each waiter leaves at once when its own signal aborts, and rejects after the
 * hold timeout.
 */
export function createRequestQueue(deps: RequestQueueDeps) {
  const { env, state, loop, queue, ready } = deps;
  const maxSize = queue?.maxSize ?? QUEUE_MAX_SIZE;
  const holdTimeoutMs = queue?.holdTimeoutMs ?? QUEUE_HOLD_TIMEOUT_MS;
  const waiters = new Set<Waiter>();
  const countPending = () => state.set({ pendingRequests: waiters.size });
  const refreshInBackground = () => loop.start().catch(() => {});

  const wait = (kind: Waiter['kind'], userId: string | null, signal?: AbortSignal) =>
    new Promise<TokenSet>((resolve, reject) => {
      signal?.throwIfAborted();
      let timer: TimerId;
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T) => {
          waiters.delete(waiter);
          env.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          countPending();
          finish(value);
        };
      const waiter: Waiter = { kind, userId, resolve: settle(resolve), reject: settle(reject) };
      const onAbort = () => waiter.reject(signal?.reason);
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = env.setTimeout(() => {
        const { lastError, status, reason } = state.get();
        // Waiting out transient refresh failures: the reason is the last failure.
        waiter.reject(
          waiter.kind === 'waiting' && status !== 'expired' && lastError
            ? lastError
            : new SessionExpiredError(
                status === 'expired' ? (reason ?? 'expired') : 'hold-timeout',
              ),
        );
      }, holdTimeoutMs);
      countPending();
    });

  /** A token for a request, or `null` when signed out; waits for a refresh, holds while expired. */
  const acquire = async (signal?: AbortSignal): Promise<TokenSet | null> => {
    if (deps.isDestroyed()) throw destroyedError();
    signal?.throwIfAborted();
    if (state.get().status === 'initializing') await untilAborted(ready(), signal);
    if (deps.isDestroyed()) throw destroyedError();
    const { status, tokens, user, reason } = state.get();
    const userId = user?.id ?? null;
    if (status === 'anonymous') return null;
    if (status === 'expired') {
      if (queue?.whileExpired === 'reject') throw new SessionExpiredError(reason ?? 'expired');
      if ([...waiters].filter((w) => w.kind === 'held').length >= maxSize) {
        throw new QueueFullError(maxSize);
      }
      return wait('held', userId, signal);
    }
    const now = env.now();
    // A validity check at use time: a timer may have fired late (sleep, background tab).
    if (
      tokens &&
      !loop.inFlight &&
      now < tokens.expiresAt &&
      (now < (state.snapshot().refreshAt ?? 0) || loop.isRetrying)
    ) {
      return tokens;
    }
    if (!loop.inFlight && !loop.isRetrying) refreshInBackground();
    return wait('waiting', userId, signal);
  };

  return {
    acquire,
    /** A request carrying `accessToken` got a 401: one shared refresh, unless a newer token is here. */
    renewAfter401(accessToken: string, signal?: AbortSignal) {
      // A 401 is stronger evidence than a backoff timer: refresh now (or join the one in flight).
      if (state.signedIn() && state.get().tokens?.accessToken === accessToken) {
        refreshInBackground();
      }
      return acquire(signal);
    },
    /** New tokens: waiters of the same session get them; held ones only for the same user. */
    release(tokens: TokenSet, sameSession: boolean) {
      for (const waiter of [...waiters]) {
        const sameUser = waiter.userId !== null && waiter.userId === tokens.userId;
        if ((waiter.kind === 'waiting' && sameSession) || sameUser) {
          waiter.resolve(tokens);
        } else {
          waiter.reject(new SessionExpiredError('user-changed'));
        }
      }
    },
    /** The session expired: every waiter is now held (for the same user). */
    holdAll() {
      for (const waiter of waiters) waiter.kind = 'held';
    },
    rejectAll(error: SessionError) {
      for (const waiter of [...waiters]) waiter.reject(error);
    },
  };
}

export type RequestQueue = ReturnType<typeof createRequestQueue>;
