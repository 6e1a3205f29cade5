import type { RuntimeEnv } from './env';
import { type RefreshError, SessionError } from './errors';
import { toRefreshError } from './refresh-request';
import { backoffDelay, type Scheduler } from './scheduler';
import type { TokenSet } from './tokens';

export interface RefreshLoopDeps {
  env: RuntimeEnv;
  scheduler: Scheduler;
  /** Obtain a token set: refresh (or adopt one another tab just got). */
  perform(signal: AbortSignal): Promise<TokenSet>;
  /** Bumped by login, logout and expire: a refresh started before a bump is discarded. */
  epoch(): number;
  /** When the next refresh is due (`null`: nothing to refresh). */
  dueAt(): number | null;
  /** When a hidden tab refreshes at the latest (it leaves earlier refreshes to a visible tab). */
  hiddenDueAt(): number | null;
  preferVisible: boolean;
  onStart(): void;
  onSuccess(tokens: TokenSet): void;
  onFailure(error: RefreshError, attempt: number, willRetry: boolean): void;
}

/** A refresh result that arrived after a logout or expire: nobody may use it. */
export const discarded = () =>
  new SessionError('SESSION_EXPIRED', 'The session ended during the refresh');

interface Flight {
  id: number;
  promise: Promise<TokenSet>;
  controller: AbortController;
}

/**
 * One refresh at a time: callers join the flight in progress. Due refreshes are scheduled on the
 * wall clock; transient failures are retried with capped exponential backoff and jitter (and at
 * once when the browser comes back online); a rejection is reported and never retried.
 */
export function createRefreshLoop(deps: RefreshLoopDeps) {
  const { env, scheduler } = deps;
  let flight: Flight | null = null;
  let started = 0;
  let failures = 0;
  let cancelTimer = () => {};
  let retrying = false;

  function start(): Promise<TokenSet> {
    if (flight) return flight.promise;
    cancelTimer();
    retrying = false;
    const id = ++started;
    const epoch = deps.epoch();
    const controller = new AbortController();
    const finish = () => {
      if (flight?.id === id) flight = null;
      if (epoch !== deps.epoch()) throw discarded();
    };
    const promise = deps.perform(controller.signal).then(
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
    flight = { id, promise, controller };
    deps.onStart();
    return promise;
  }

  function retryLater(error: RefreshError) {
    retrying = true;
    const delay = Math.max(
      backoffDelay(failures, env.random),
      Math.min(error.retryAfterMs ?? 0, 600_000),
    );
    cancelTimer();
    cancelTimer = scheduler.at(env.now() + delay, () => {
      retrying = false;
      due();
    });
  }

  /** The scheduled moment came: refresh, unless a visible tab should do it first. */
  function due() {
    if (flight) return;
    const hiddenAt = deps.hiddenDueAt();
    if (deps.preferVisible && !env.isVisible() && hiddenAt !== null && env.now() < hiddenAt) {
      cancelTimer();
      cancelTimer = scheduler.at(hiddenAt, due);
      return;
    }
    start().catch(() => {});
  }

  return {
    start,
    /** (Re)arm the timer for the next due refresh; a failed one keeps its backoff. */
    schedule() {
      if (retrying) return;
      cancelTimer();
      const at = deps.dueAt();
      if (at !== null) cancelTimer = scheduler.at(at, due);
    },
    /** `refresh()`: a refresh sent after this call, never one already in flight; no backoff. */
    async manual(): Promise<TokenSet> {
      const after = started;
      while (flight && flight.id <= after) await flight.promise.catch(() => {});
      return start();
    },
    /**
     * A wake event. Back `online`, a retry waiting out its backoff goes now; a page that became
     * visible takes over a refresh that was left to a visible tab.
     */
    wake(online: boolean) {
      if (flight) return;
      if (retrying) {
        if (online) {
          cancelTimer();
          retrying = false;
          due();
        }
        return;
      }
      const at = deps.dueAt();
      if (at !== null && env.now() >= at && env.isVisible()) due();
    },
    /** Logout, expire or destroy: abort the flight (its result will be discarded) and stop timers. */
    stop() {
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
