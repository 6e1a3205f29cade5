import { CONNECT, type Connectable, type SessionPort } from '../core/modules';
import { createEmitter, createListeners } from '../lib/emitter';
import { resolveEnv, switchableEnv } from '../lib/env';
import { SessionError } from '../lib/errors';
import { listenActivity } from './activity';
import { createAlarm } from './alarm';
import { connectIdle } from './connect';
import { type ActivityChannel, openActivityChannel } from './idle-channel';
import { lazyLastActivityStore } from './last-activity';
import { MAX_CLOCK_SKEW_MS, resolveIdleOptions } from './options';
import { createPauseBook } from './pause';
import { createPausing } from './pausing';
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
  // `crossTab` and `name` follow the session the timer is given to, unless set.
  let { crossTab, name, timeoutMs, promptBeforeMs, throttleMs } = resolveIdleOptions(options);

  const emitter = createEmitter<IdleTimerEventMap>();
  const listeners = createListeners();
  const reportError = (error: SessionError) => emitter.emit('error', { error, source: 'idle' });
  let connected = false;
  const store = lazyLastActivityStore(env, () => ({ crossTab, name }), reportError);

  let running = false;
  let destroyed = false;
  let state: IdleState = 'active';
  let lastActivity = 0;
  let lastHandled = -Infinity;
  let snapshot: IdleTimerState | null = null;
  const alarm = createAlarm(env, () => check());
  let unlisten = () => {};
  let channel: ActivityChannel | null = null;
  const pauses = createPauseBook(timeoutMs, env, () => (crossTab ? `${name}:idle-paused` : null));

  const deadline = () => pauses.deadline(lastActivity);
  /** Activity matters only while running and not yet idle (paused included). */
  const live = () => running && state !== 'idle';
  /** Deadlines are checked only while running, not idle and not paused. */
  const counting = () => live() && state !== 'paused';
  const pausing = createPausing(
    {
      env,
      book: pauses,
      alarm,
      crossTab: () => crossTab,
      state: () => (running ? state : null),
      setState(next) {
        const prompted = state === 'prompted';
        state = next;
        if (next === 'active') return;
        publish('paused', Infinity);
        if (prompted && running && state === 'paused') emitter.emit('active', {});
      },
      lastActivity: () => lastActivity,
      deadline,
      merge: (now) => merge(now),
      evaluate,
      touch,
      check,
    },
    timeoutMs,
    (timeoutMs - promptBeforeMs) / 2,
  );

  /** Take a timestamp (by default the stored one) when it is later than ours and credible. */
  function merge(now: number, at = store().read()): void {
    if (at === null || at > now + MAX_CLOCK_SKEW_MS) return;
    lastActivity = Math.max(lastActivity, Math.min(at, now));
  }

  /**
   * Derive the state from the clock and the last activity; re-arm, publish, emit a change.
   * `othersAsked`: the other tabs were just asked and none is paused (else a prompt or idle asks
   * them first).
   */
  function evaluate(now: number, othersAsked = false): void {
    // An `error` handler may have stopped the timer while it was reading or writing storage.
    if (!running) return;
    const before = state;
    const due = deadline();
    const after: IdleState =
      now >= due ? 'idle' : now >= due - promptBeforeMs ? 'prompted' : 'active';
    // No prompt and no idle while another tab is paused: ask first (with Web Locks).
    if (after !== 'active' && after !== before && !othersAsked && crossTab && env.locks()) {
      alarm.clear();
      // Published meanwhile as it is (a pause that just ended is `active`, not `paused`).
      publish(state, due);
      pausing.ask();
      return;
    }
    state = after;
    // The next check: at the prompt while active, else at the deadline; none once idle.
    if (after === 'idle') alarm.clear();
    else alarm.set(after === 'active' ? due - promptBeforeMs : due, now);
    publish(after, due);
    // A subscriber may have stopped or reset the timer meanwhile: report only what still holds.
    // Leaving a pause (state `active` first) is no return to activity: its prompt, if any, was
    // closed when the pause began.
    if (after === before || !running || state !== after) return;
    if (after === 'prompted')
      emitter.emit('idle-prompt', { deadline: due, remainingMs: due - now });
    else emitter.emit(after, {});
  }

  function publish(next: IdleState, due: number): void {
    if (snapshot?.state === next && snapshot.deadline === due) return;
    snapshot = { state: next, deadline: due };
    listeners.notify();
  }

  /** A deadline check: timer fired, page shown, focused or online. Reads what other tabs stored. */
  function check(): void {
    if (pausing.keepFresh() || !counting()) return;
    const now = env.now();
    merge(now);
    evaluate(now);
  }

  /**
   * Activity at `at` (local, `reset()`, or the deadline a `resume()` shares), evaluated at `now`:
   * stored, broadcast, and the prompt cancelled. Paused, it is activity for every tab all the
   * same, but the pause holds.
   */
  function touch(at: number, now = at): void {
    lastActivity = Math.max(lastActivity, at);
    store().write(lastActivity);
    channel?.post(lastActivity);
    if (state !== 'paused') evaluate(now);
  }

  // The hot path: called for every pointer move; one clock read and a comparison.
  function onActivity(): void {
    if (!live()) return;
    const now = env.now();
    if (state !== 'prompted' && now - lastHandled < throttleMs) return;
    lastHandled = now;
    // The timer was late (sleep, frozen tab): coming back after the deadline is idle, not
    // activity — unless another tab kept the user active. Paused, there is no deadline.
    const late = state !== 'paused' && now >= deadline();
    if (late) merge(now);
    if (late && now >= deadline()) evaluate(now);
    else touch(now);
  }

  function onRemote(at: number): void {
    if (!live()) return;
    const now = env.now();
    const before = lastActivity;
    merge(now, at);
    if (lastActivity === before || state === 'paused') return;
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
    pauses.clear();
    lastHandled = -Infinity;
    unlisten = listenActivity(env, options.events ?? DEFAULT_IDLE_EVENTS, onActivity, check);
    if (crossTab) channel = openActivityChannel(env, `${name}:idle`, onRemote, reportError);
  }

  function stop(): void {
    if (!running) return;
    running = false;
    pauses.end();
    alarm.clear();
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
      // Ends a pause (without an `active`: its prompt, if any, was closed at `pause()`).
      if (state === 'paused') pausing.unpause(now);
      touch(now);
    },
    pause: pausing.pause,
    resume: pausing.resume,
    getState: () => snapshot,
    remainingMs() {
      if (!running) return 0;
      const now = env.now();
      // While paused: what `resume()` would continue with now.
      if (state === 'paused') return pauses.remaining(lastActivity, now);
      return Math.max(0, deadline() - now);
    },
    getLastActiveTime: () => (running ? lastActivity : null),
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
