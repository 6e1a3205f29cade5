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
  /** When it gives up (epoch ms): `holdTimeoutMs` after it began to wait. */
  deadline: number;
  /** Its own signal, and the listener that makes it leave when that aborts. */
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Its promise's. */
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
 * hold timeout. Every operation is linear in the waiters it touches: one timer serves all hold
 * timeouts (the waiters wait in the order they came, so the first one's deadline is the next),
 * and the held ones are counted, not searched.
 */
export function createRequestQueue(deps: RequestQueueDeps) {
  const { env, state, loop, queue, ready } = deps;
  const maxSize = queue?.maxSize ?? QUEUE_MAX_SIZE;
  const holdTimeoutMs = queue?.holdTimeoutMs ?? QUEUE_HOLD_TIMEOUT_MS;
  /** In the order they came: the first one gives up first. */
  const waiters = new Set<Waiter>();
  let held = 0;
  let timer: { at: number; id: TimerId } | null = null;
  const countPending = () => state.set({ pendingRequests: waiters.size });
  const refreshInBackground = () => loop.start().catch(() => {});

  /** Take `waiter` out of the queue; `false` when it already left. */
  const leave = (waiter: Waiter) => {
    if (!waiters.delete(waiter)) return false;
    if (waiter.kind === 'held') held--;
    waiter.signal?.removeEventListener('abort', waiter.onAbort as () => void);
    countPending();
    return true;
  };
  const resolveWaiter = (waiter: Waiter, tokens: TokenSet) => {
    if (leave(waiter)) waiter.resolve(tokens);
  };
  const rejectWaiter = (waiter: Waiter, error: unknown) => {
    if (leave(waiter)) waiter.reject(error);
  };

  /** Why a waiter gives up at its deadline. */
  const timeoutError = (waiter: Waiter) => {
    const { lastError, status, reason } = state.get();
    // Waiting out transient refresh failures: the reason is the last failure.
    if (waiter.kind === 'waiting' && status !== 'expired' && lastError) return lastError;
    return new SessionExpiredError(status === 'expired' ? (reason ?? 'expired') : 'hold-timeout');
  };

  /** The one timer, for the first waiter's deadline. */
  const armTimeout = () => {
    const first = waiters.values().next().value;
    if (timer && first?.deadline === timer.at) return;
    if (timer) env.clearTimeout(timer.id);
    timer = null;
    if (!first) return;
    const at = first.deadline;
    timer = { at, id: env.setTimeout(onTimeout, Math.max(0, at - env.now())) };
  };
  const onTimeout = () => {
    timer = null;
    const now = env.now();
    for (const waiter of waiters) {
      if (waiter.deadline > now) break;
      rejectWaiter(waiter, timeoutError(waiter));
    }
    armTimeout();
  };

  const wait = (kind: Waiter['kind'], userId: string | null, signal?: AbortSignal) =>
    new Promise<TokenSet>((resolve, reject) => {
      signal?.throwIfAborted();
      const waiter: Waiter = {
        kind,
        userId,
        deadline: env.now() + holdTimeoutMs,
        signal,
        onAbort: undefined,
        resolve,
        reject,
      };
      if (signal) {
        waiter.onAbort = () => {
          rejectWaiter(waiter, signal.reason);
          armTimeout();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      waiters.add(waiter);
      if (kind === 'held') held++;
      countPending();
      armTimeout();
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
      if (held >= maxSize) throw new QueueFullError(maxSize);
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
          resolveWaiter(waiter, tokens);
        } else {
          rejectWaiter(waiter, new SessionExpiredError('user-changed'));
        }
      }
      armTimeout();
    },
    /** The session expired: every waiter is now held (for the same user). */
    holdAll() {
      for (const waiter of waiters) waiter.kind = 'held';
      held = waiters.size;
    },
    rejectAll(error: SessionError) {
      for (const waiter of [...waiters]) rejectWaiter(waiter, error);
      armTimeout();
    },
  };
}

export type RequestQueue = ReturnType<typeof createRequestQueue>;
