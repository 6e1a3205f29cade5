import type { SessionStateStore } from '../core/state';
import type { RuntimeEnv } from '../lib/env';
import { destroyedError, type RefreshError, SessionError } from '../lib/errors';
import type { Scheduler } from '../lib/scheduler';
import type { TokenSet } from '../tokens/token-set';
import { toRefreshError } from './failures';
import { backoffDelay, MAX_RETRY_AFTER_MS } from './schedule';

/** A refresh result that arrived after a logout, expire or login: nobody may use or share it. */
export const discarded = () =>
  new SessionError('SESSION_EXPIRED', 'Session ended during the refresh');

interface Flight {
  promise: Promise<TokenSet>;
  controller: AbortController;
}

/** What the refresh loop works with. */
export interface RefreshLoopDeps {
  env: RuntimeEnv;
  scheduler: Scheduler;
  state: SessionStateStore;
  /** Whether tabs share the session: a hidden tab then leaves the refresh to a visible one. */
  crossTab: boolean;
  /** Obtain a token set: a refresh, or one another tab just got. */
  perform(signal: AbortSignal): Promise<TokenSet>;
  /** A flight took off. */
  onStart(): void;
  onSuccess(tokens: TokenSet): void;
  /** An attempt failed; `willRetry`: a retry after a backoff is planned (not for a rejection). */
  onFailure(error: RefreshError, attempt: number, willRetry: boolean): void;
  /**
   * Does this tab plan the refresh for all tabs? The others keep only a fallback, half-way
   * between the refresh time and expiry, in case the leader cannot (it went away mid-way).
   */
  isLeader(): boolean;
  /** A destroyed session sends nothing more (not even for a 401 that arrives afterwards). */
  isDestroyed(): boolean;
}

/**
 * One refresh at a time: callers join the flight in progress. Due refreshes are scheduled on the
 * wall clock (at the snapshot's `refreshAt`, none at or after the session's absolute end);
 * transient failures are retried with capped exponential backoff and jitter (and at once when the
 * browser comes back online); a rejection is reported and never retried.
 */
export function createRefreshLoop(deps: RefreshLoopDeps) {
  const { env, scheduler, state, perform } = deps;
  let flight: Flight | null = null;
  let failures = 0;
  /** Counts `stop()` calls: a refresh started before one is discarded. */
  let stops = 0;
  let cancelTimer = () => {};
  let retrying = false;

  const timer = (at: number, task: () => void) => {
    cancelTimer();
    cancelTimer = scheduler.at(at, task);
  };

  /** When the next refresh is due (`null`: nothing to refresh). */
  /** A moment `fraction` of the way from the refresh time to expiry. */
  const between = (fraction: number) => {
    const { refreshAt, expiresAt } = state.snapshot();
    return refreshAt === null ? null : refreshAt + fraction * ((expiresAt ?? 0) - refreshAt);
  };

  /**
   * When this tab should refresh next (`null`: nothing to refresh). The leader refreshes for all
   * tabs at the refresh time; the others only wake when it did not happen: a visible tab a
   * quarter of the way to expiry (it takes over from a hidden or stuck leader), a hidden one at
   * three quarters. A hidden leader waits until half-way (see `due`).
   */
  const dueAt = () => {
    const { refreshAt, sessionEndsAt } = state.snapshot();
    // A refresh at or after the session's absolute end could not succeed: none is attempted.
    if (!state.signedIn() || refreshAt === null) return null;
    if (sessionEndsAt !== null && refreshAt >= sessionEndsAt) return null;
    if (!deps.crossTab || deps.isLeader()) return refreshAt;
    return between(env.isVisible() ? 0.25 : 0.75);
  };

  const start = (): Promise<TokenSet> => {
    if (deps.isDestroyed()) return Promise.reject(destroyedError());
    if (flight) return flight.promise;
    cancelTimer();
    retrying = false;
    const stopsBefore = stops;
    const controller = new AbortController();
    const finish = () => {
      if (flight?.controller === controller) flight = null;
      if (stopsBefore !== stops) throw discarded();
    };
    const promise = perform(controller.signal).then(
      (tokens) => {
        finish();
        failures = 0;
        deps.onSuccess(tokens);
        return tokens;
      },
      (cause: unknown) => {
        finish();
        const error = toRefreshError(cause);
        failures++;
        const willRetry = error.kind !== 'rejected';
        if (willRetry) retryLater(error);
        deps.onFailure(error, failures, willRetry);
        throw error;
      },
    );
    flight = { promise, controller };
    deps.onStart();
    return promise;
  };

  const retryLater = (error: RefreshError) => {
    retrying = true;
    const delay = Math.max(
      backoffDelay(failures, env.random),
      Math.min(error.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS),
    );
    timer(env.now() + delay, due);
  };

  /** The scheduled moment (or a backoff) came: refresh, unless a visible tab should do it first. */
  const due = () => {
    retrying = false;
    if (flight) return;
    // A hidden tab waits for a visible one until half-way between refresh time and expiry.
    const hiddenAt = between(0.5);
    if (deps.crossTab && !env.isVisible() && hiddenAt !== null && env.now() < hiddenAt) {
      return timer(hiddenAt, due);
    }
    start().catch(() => {});
  };

  return {
    start,
    /** (Re)arm the timer for the next due refresh; a failed one keeps its backoff. */
    schedule() {
      if (retrying) return;
      cancelTimer();
      const at = dueAt();
      if (at !== null) timer(at, due);
    },
    /** `refresh()`: a refresh sent after this call, never one already in flight; no backoff. */
    async manual(): Promise<TokenSet> {
      // One flight at a time: any flight after this one settled started after the call.
      if (flight) await flight.promise.catch(() => {});
      return start();
    },
    /**
     * A wake event. Back `online`, a retry waiting out its backoff goes now; a page that became
     * visible takes over a refresh that was left to a visible tab.
     */
    wake(online: boolean) {
      if (flight) return;
      if (retrying) {
        if (online) due();
        return;
      }
      const at = dueAt();
      if (at !== null && env.now() >= at && env.isVisible()) due();
    },
    /**
     * Logout, expire, destroy, or a new session (a login, another tab's sign-in): the flight is
     * aborted (its result, should it still arrive, is discarded) and timers stop.
     */
    stop() {
      stops++;
      cancelTimer();
      retrying = false;
      failures = 0;
      flight?.controller.abort(discarded());
      flight = null;
    },
    get inFlight() {
      return flight !== null;
    },
    get isRetrying() {
      return retrying;
    },
  };
}

export type RefreshLoop = ReturnType<typeof createRefreshLoop>;
