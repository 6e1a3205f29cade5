import { createEmitter, createListeners } from '../emitter';
import { resolveEnv, type TimerId } from '../env';
import { SessionError } from '../errors';
import type { IdleState } from '../types';
import { listenActivity } from './activity';
import { type ActivityChannel, openActivityChannel } from './idle-channel';
import { createLastActivityStore } from './last-activity';
import { MAX_CLOCK_SKEW_MS, MAX_TIMER_DELAY_MS, resolveIdleOptions } from './options';
import type { IdleTimer, IdleTimerEventMap, IdleTimerOptions, IdleTimerState } from './types';

/**
 * An idle timer shared by the tabs of an origin: after `timeoutMs` without activity in any tab
 * the user is `idle`; `promptBeforeMs` before that they are `prompted`. Time is a wall-clock
 * last-activity timestamp, so sleep, frozen tabs and late timers cannot stretch the timeout:
 * every deadline is re-checked on `visibilitychange`, `focus`, `pageshow` and when the timer fires.
 * @example
 * const idle = createIdleTimer({ timeoutMs: 10 * 60_000, promptBeforeMs: 30_000 });
 * idle.on('idle-prompt', ({ remainingMs }) => showWarning(remainingMs));
 * idle.on('idle', () => signOut());
 * idle.start();
 */
export function createIdleTimer(options: IdleTimerOptions = {}): IdleTimer {
  const env = resolveEnv(options.env);
  const { timeoutMs, promptBeforeMs, throttleMs, events, crossTab, name } =
    resolveIdleOptions(options);

  const emitter = createEmitter<IdleTimerEventMap>();
  const listeners = createListeners();
  const reportError = (error: SessionError) => emitter.emit('error', { error, source: 'idle' });
  // Without cross-tab sharing, localStorage would still let tabs reset each other: keep the
  // timestamp per tab (sessionStorage survives a reload too).
  const store = createLastActivityStore(
    env,
    crossTab ? 'local' : 'session',
    `${name}:idle:last-activity`,
    reportError,
  );

  let running = false;
  let destroyed = false;
  let state: IdleState = 'active';
  let lastActivity = 0;
  let lastHandled = Number.NEGATIVE_INFINITY;
  let snapshot: IdleTimerState | null = null;
  let timer: TimerId;
  let armed = false;
  let timerAt = 0;
  let unlisten: (() => void) | null = null;
  let channel: ActivityChannel | null = null;

  const deadline = () => lastActivity + timeoutMs;

  /** Take a timestamp from storage or another tab when it is later than ours and credible. */
  function merge(at: number | null, now: number): void {
    if (at === null || at > now + MAX_CLOCK_SKEW_MS) return;
    const credible = Math.min(at, now);
    if (credible > lastActivity) lastActivity = credible;
  }

  function disarm(): void {
    if (armed) env.clearTimeout(timer);
    armed = false;
  }

  function arm(now: number): void {
    if (state === 'idle') {
      disarm();
      return;
    }
    const due = deadline();
    const next = state === 'active' && promptBeforeMs > 0 ? due - promptBeforeMs : due;
    // Lazy: activity only moves the deadline later, so an armed timer that fires early just
    // re-checks and re-arms. Activity itself never touches timers.
    if (armed && timerAt <= next) return;
    disarm();
    const delay = Math.min(Math.max(0, next - now), MAX_TIMER_DELAY_MS);
    timerAt = now + delay;
    armed = true;
    timer = env.setTimeout(onTimer, delay);
  }

  function publish(): void {
    const due = deadline();
    if (snapshot && snapshot.state === state && snapshot.deadline === due) return;
    snapshot = { state, deadline: due };
    listeners.notify();
  }

  /** Derive the state from the clock and the last activity; emit on a change. */
  function evaluate(now: number): void {
    // An `error` handler may have stopped the timer while it was reading or writing storage.
    if (!running) return;
    const before = state;
    const due = deadline();
    if (now >= due) state = 'idle';
    else if (promptBeforeMs > 0 && now >= due - promptBeforeMs) state = 'prompted';
    else state = 'active';
    const after = state;
    arm(now);
    publish();
    // A subscriber may have stopped or reset the timer meanwhile: report only what still holds.
    if (after === before || !running || state !== after) return;
    if (after === 'idle') emitter.emit('idle', {});
    else if (after === 'prompted') {
      emitter.emit('idle-prompt', { deadline: due, remainingMs: due - now });
    } else emitter.emit('active', {});
  }

  /** A deadline check: timer fired, page shown or focused. Reads what other tabs stored. */
  function check(): void {
    if (!running || state === 'idle') return;
    const now = env.now();
    merge(store.read(), now);
    evaluate(now);
  }

  function onTimer(): void {
    armed = false;
    check();
  }

  /** Activity at `now` (local or `reset()`): stored, broadcast, and the prompt cancelled. */
  function touch(now: number): void {
    lastActivity = Math.max(lastActivity, now);
    store.write(lastActivity);
    channel?.post(lastActivity);
    evaluate(now);
  }

  // The hot path: called for every pointer move; one clock read and a comparison.
  function onActivity(): void {
    if (!running || state === 'idle') return;
    const now = env.now();
    if (state === 'active' && now - lastHandled < throttleMs) return;
    lastHandled = now;
    if (now >= deadline()) {
      // The timer was late (sleep, frozen tab): coming back after the deadline is idle, not
      // activity — unless another tab kept the user active.
      merge(store.read(), now);
      if (now >= deadline()) {
        evaluate(now);
        return;
      }
    }
    touch(now);
  }

  function onRemote(at: number): void {
    if (!running || state === 'idle') return;
    const now = env.now();
    const before = lastActivity;
    merge(at, now);
    if (lastActivity === before) return;
    // A thawed tab gets its backlog oldest first: an old message must not prompt or idle it
    // while storage holds a newer timestamp.
    if (now >= deadline() - promptBeforeMs) merge(store.read(), now);
    evaluate(now);
  }

  function begin(): void {
    running = true;
    state = 'active';
    lastHandled = Number.NEGATIVE_INFINITY;
    unlisten = listenActivity(env, events, onActivity, check);
    if (crossTab) channel = openActivityChannel(env, `${name}:idle`, onRemote, reportError);
  }

  function assertAlive(): void {
    if (destroyed) throw new SessionError('DESTROYED', 'The idle timer was destroyed');
  }

  function stop(): void {
    if (!running) return;
    running = false;
    disarm();
    unlisten?.();
    unlisten = null;
    channel?.close();
    channel = null;
    snapshot = null;
    listeners.notify();
  }

  return {
    start() {
      assertAlive();
      if (running) return;
      begin();
      const now = env.now();
      lastActivity = 0;
      merge(store.read(), now);
      if (lastActivity === 0) {
        lastActivity = now;
        store.write(now);
      }
      evaluate(now);
    },
    stop,
    reset() {
      assertAlive();
      if (!running) {
        begin();
        lastActivity = 0;
      }
      const now = env.now();
      lastHandled = now;
      touch(now);
    },
    getState: () => snapshot,
    remainingMs: () => (running ? Math.max(0, deadline() - env.now()) : 0),
    subscribe: (listener) => listeners.subscribe(listener),
    on: (type, handler) => emitter.on(type, handler),
    destroy() {
      stop();
      destroyed = true;
      emitter.clear();
      listeners.clear();
    },
  };
}
