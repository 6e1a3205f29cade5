import { CONNECT, type Connectable, type SessionPort } from '../core/modules';
import { createEmitter, createListeners } from '../lib/emitter';
import { MAX_TIMEOUT_MS, resolveEnv, switchableEnv, type TimerId } from '../lib/env';
import { SessionError } from '../lib/errors';
import { DEFAULT_NAME } from '../lib/names';
import { listenActivity } from './activity';
import { connectIdle } from './connect';
import { type ActivityChannel, openActivityChannel } from './idle-channel';
import { createLastActivityStore, type LastActivityStore } from './last-activity';
import {
  checkIdleOptions,
  DEFAULT_IDLE_THROTTLE_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_PROMPT_BEFORE_MS,
  MAX_CLOCK_SKEW_MS,
} from './options';
import {
  DEFAULT_IDLE_EVENTS,
  type IdleState,
  type IdleTimer,
  type IdleTimerEventMap,
  type IdleTimerOptions,
  type IdleTimerState,
} from './types';

/**
 * An idle timer shared by the tabs of an origin: after `timeoutMs` without activity in any tab
 * the user is `idle`; `promptBeforeMs` before that they are `prompted`. Time is a wall-clock
 * last-activity timestamp, so sleep, frozen tabs and late timers cannot stretch the timeout:
 * every deadline is re-checked on `visibilitychange`, `focus`, `pageshow`, `online` and when the
 * timer fires. Only a real user is activity: events a script dispatches are ignored.
 * @example
 * const idle = createIdleTimer({ timeoutMs: 10 * 60_000, promptBeforeMs: 30_000 });
 * idle.on('idle-prompt', ({ remainingMs }) => showWarning(remainingMs));
 * idle.on('idle', () => signOut());
 * idle.start();
 * // Or give it to a session, which starts it at sign-in and expires on idle:
 * createSession({ refresh, idle: createIdleTimer({ timeoutMs: 15 * 60_000 }) });
 */
export function createIdleTimer(options: IdleTimerOptions = {}): IdleTimer {
  // Filled in from the session's env when the timer is given to a session without one.
  let resolved = resolveEnv(options.env);
  const env = switchableEnv(() => resolved);
  let crossTab = options.crossTab ?? true;
  const timeoutMs = options.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const promptBeforeMs = options.promptBeforeMs ?? DEFAULT_PROMPT_BEFORE_MS;
  const throttleMs = options.throttleMs ?? DEFAULT_IDLE_THROTTLE_MS;
  // The namespace of the channel and the storage key. An empty name means the default, as for
  // the session.
  let name = (typeof crossTab === 'object' && crossTab.name) || DEFAULT_NAME;
  checkIdleOptions(timeoutMs, promptBeforeMs, throttleMs, name);

  const emitter = createEmitter<IdleTimerEventMap>();
  const listeners = createListeners();
  const reportError = (error: SessionError) => emitter.emit('error', { error, source: 'idle' });
  let connected = false;
  /** Made at the first start, once the session (if any) said where the timer lives. */
  let stored: LastActivityStore | null = null;
  // Without cross-tab sharing, localStorage would still let tabs reset each other: keep the
  // timestamp per tab (sessionStorage survives a reload too).
  const store = () => {
    stored ??= createLastActivityStore(
      env,
      crossTab ? 'local' : 'session',
      `${name}:idle:last-activity`,
      reportError,
    );
    return stored;
  };

  let running = false;
  let destroyed = false;
  let state: IdleState = 'active';
  let lastActivity = 0;
  let lastHandled = -Infinity;
  let snapshot: IdleTimerState | null = null;
  let timer: TimerId;
  /** When the armed timer fires; `Infinity` when none is armed. */
  let timerAt = Infinity;
  let unlisten = () => {};
  let channel: ActivityChannel | null = null;

  const deadline = () => lastActivity + timeoutMs;
  /** Activity and deadline checks matter only while running and not yet idle. */
  const live = () => running && state !== 'idle';

  /** Take a timestamp (by default the stored one) when it is later than ours and credible. */
  function merge(now: number, at = store().read()): void {
    if (at === null || at > now + MAX_CLOCK_SKEW_MS) return;
    lastActivity = Math.max(lastActivity, Math.min(at, now));
  }

  function disarm(): void {
    if (timerAt < Infinity) env.clearTimeout(timer);
    timerAt = Infinity;
  }

  /** Derive the state from the clock and the last activity; re-arm, publish, emit a change. */
  function evaluate(now: number): void {
    // An `error` handler may have stopped the timer while it was reading or writing storage.
    if (!running) return;
    const before = state;
    const due = deadline();
    const after: IdleState =
      now >= due ? 'idle' : now >= due - promptBeforeMs ? 'prompted' : 'active';
    state = after;
    // The timer: due at the prompt while active, else at the deadline. Lazy: activity only moves
    // the deadline later, so an armed timer that fires early just re-checks and re-arms.
    // Activity itself never touches timers.
    const next = after === 'active' ? due - promptBeforeMs : due;
    if (after === 'idle' || timerAt > next) {
      disarm();
      if (after !== 'idle') {
        const delay = Math.min(Math.max(0, next - now), MAX_TIMEOUT_MS);
        timerAt = now + delay;
        timer = env.setTimeout(() => {
          timerAt = Infinity;
          check();
        }, delay);
      }
    }
    if (snapshot?.state !== after || snapshot.deadline !== due) {
      snapshot = { state: after, deadline: due };
      listeners.notify();
    }
    // A subscriber may have stopped or reset the timer meanwhile: report only what still holds.
    if (after === before || !running || state !== after) return;
    if (after === 'prompted')
      emitter.emit('idle-prompt', { deadline: due, remainingMs: due - now });
    else emitter.emit(after, {});
  }

  /** A deadline check: timer fired, page shown, focused or online. Reads what other tabs stored. */
  function check(): void {
    if (!live()) return;
    const now = env.now();
    merge(now);
    evaluate(now);
  }

  /** Activity at `now` (local or `reset()`): stored, broadcast, and the prompt cancelled. */
  function touch(now: number): void {
    lastActivity = Math.max(lastActivity, now);
    store().write(lastActivity);
    channel?.post(lastActivity);
    evaluate(now);
  }

  // The hot path: called for every pointer move; one clock read and a comparison.
  function onActivity(): void {
    if (!live()) return;
    const now = env.now();
    if (state === 'active' && now - lastHandled < throttleMs) return;
    lastHandled = now;
    // The timer was late (sleep, frozen tab): coming back after the deadline is idle, not
    // activity — unless another tab kept the user active.
    if (now >= deadline()) merge(now);
    if (now >= deadline()) evaluate(now);
    else touch(now);
  }

  function onRemote(at: number): void {
    if (!live()) return;
    const now = env.now();
    const before = lastActivity;
    merge(now, at);
    if (lastActivity === before) return;
    // A thawed tab gets its backlog oldest first: an old message must not prompt or idle it
    // while storage holds a newer timestamp.
    if (now >= deadline() - promptBeforeMs) merge(now);
    evaluate(now);
  }

  /** Throws when destroyed; else starts running (counting from `lastActivity`, reset to 0). */
  function begin(): void {
    if (destroyed) throw new SessionError('DESTROYED', 'Idle timer destroyed');
    if (running) return;
    running = true;
    state = 'active';
    lastActivity = 0;
    lastHandled = -Infinity;
    unlisten = listenActivity(env, options.events ?? DEFAULT_IDLE_EVENTS, onActivity, check);
    if (crossTab) channel = openActivityChannel(env, `${name}:idle`, onRemote, reportError);
  }

  function stop(): void {
    if (!running) return;
    running = false;
    disarm();
    unlisten();
    channel?.close();
    snapshot = null;
    listeners.notify();
  }

  /** Given to a session: use its env and tab sharing unless told otherwise, and follow it. */
  function connect(port: SessionPort): void {
    if (connected) throw new TypeError('This idle timer was already given to a session');
    connected = true;
    if (!options.env) resolved = resolveEnv(port.env);
    if (options.crossTab === undefined) {
      crossTab = port.crossTab;
      name = port.name;
    }
    connectIdle(idleTimer, port, options.onIdle);
  }

  const idleTimer: IdleTimer & Connectable = {
    start() {
      if (running) return;
      begin();
      const now = env.now();
      merge(now);
      if (lastActivity === 0) {
        lastActivity = now;
        store().write(now);
      }
      evaluate(now);
    },
    stop,
    reset() {
      begin();
      const now = env.now();
      lastHandled = now;
      touch(now);
    },
    getState: () => snapshot,
    remainingMs: () => (running ? Math.max(0, deadline() - env.now()) : 0),
    subscribe: listeners.subscribe,
    on: emitter.on,
    destroy() {
      stop();
      destroyed = true;
      emitter.clear();
      listeners.clear();
    },
    [CONNECT]: connect,
  };
  return idleTimer;
}
