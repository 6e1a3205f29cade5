import type { Env } from '../lib/env';
import type { SessionError } from '../lib/errors';

/** Active, warned (`prompted`), or idle. */
export type IdleState = 'active' | 'prompted' | 'idle';

/** The activity events listened to by default (capture phase, passive, on `window`). */
export const DEFAULT_IDLE_EVENTS: readonly string[] =
  'pointerdown pointermove mousemove keydown wheel touchstart scroll'.split(' ');

export interface IdleTimerOptions {
  /** Inactivity after which the user is idle, in ms. @default 900_000 (15 min) */
  timeoutMs?: number;
  /**
   * The prompt (`idle-prompt` event, state `prompted`) is shown this long before the idle
   * deadline, in ms. Must be less than `timeoutMs`. `0` = no prompt.
   * @default 60_000
   */
  promptBeforeMs?: number;
  /**
   * The DOM events that count as activity, listened to in the capture phase (passive) on the
   * window. Only a real user's events count: one a script dispatched (`isTrusted === false`) is
   * ignored; an event object without `isTrusted` (e.g. from an injected `env.window`) counts.
   * `focus`, `visibilitychange`, `pageshow` and `online` never count: they only re-check deadlines.
   * @default ['pointerdown', 'pointermove', 'mousemove', 'keydown', 'wheel', 'touchstart', 'scroll']
   */
  events?: readonly string[];
  /**
   * Activity is handled at most once per this many ms: no storage write, no broadcast and no
   * state change more often. A prompt is cancelled by the first activity regardless.
   * @default 500
   */
  throttleMs?: number;
  /**
   * Share activity between the tabs of this origin, so that activity in any tab resets every
   * tab and all tabs prompt and go idle together. The timer uses its own BroadcastChannel
   * `${name}:idle` and keeps the last activity in localStorage under
   * `${name}:idle:last-activity` (read at every deadline check, so a lost broadcast or a reload
   * cannot extend or shorten the timeout). With `false` the tab is on its own and the last
   * activity is kept in sessionStorage (per tab, it still survives a reload).
   * @default true (name 'sessionkeeper'); given to a session: the session's `crossTab`
   */
  crossTab?: boolean | { name?: string };
  /**
   * What a session that was given this timer does when the user is idle: `'expire'` (a forced
   * re-login that keeps drafts and holds requests), `'logout'`, or your own function (the timer
   * stops either way). Unused by a standalone timer: listen to `idle` instead.
   * @default 'expire'
   */
  onIdle?: 'expire' | 'logout' | (() => void);
  /**
   * The environment (clock, timers, window, storage, channel), for tests.
   * @default the globals; given to a session: the session's `env`
   */
  env?: Env;
}

/** The timer's state, for `useSyncExternalStore`: immutable, a new object only on a change. */
export interface IdleTimerState {
  readonly state: IdleState;
  /** When the user becomes idle if nothing happens, in epoch ms. */
  readonly deadline: number;
}

/** The events of an idle timer; the session forwards them as its own events of the same name. */
export interface IdleTimerEventMap {
  /** The prompt is due: `deadline` in epoch ms, `remainingMs` until it. */
  'idle-prompt': { deadline: number; remainingMs: number };
  /** The idle deadline passed (in this or any tab). */
  idle: Record<string, never>;
  /** Left `prompted` (or `idle`, through `reset()`); not fired on every activity. */
  active: Record<string, never>;
  /** Storage or channel trouble; the timer keeps working in memory. */
  error: { error: SessionError; source: 'idle' };
}

export type IdleTimerEventType = keyof IdleTimerEventMap;

export interface IdleTimer {
  /**
   * Start watching activity (idempotent). Continues from the persisted last activity, so a
   * reload is no way around the timeout: when that deadline already passed the timer goes
   * `idle` at once (and emits `idle`); inside the prompt window it prompts at once.
   * With no persisted activity the timer counts from now.
   */
  start(): void;
  /** Stop: every listener, timer and channel is removed; `getState()` becomes `null`. */
  stop(): void;
  /**
   * The user chose to stay ("stay signed in"): counts as activity in every tab, leaves
   * `prompted` or `idle` (emitting `active`), and starts the timer when it was stopped —
   * counting from now, unlike `start()`.
   */
  reset(): void;
  /** `null` when stopped; the same object until the state or the deadline changes. */
  getState(): IdleTimerState | null;
  /** Ms until the idle deadline, ≥ 0 (`0` when stopped or idle). */
  remainingMs(): number;
  /** Called on every change of `getState()`; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Typed events; returns the remover. */
  on<K extends IdleTimerEventType>(
    type: K,
    handler: (event: IdleTimerEventMap[K]) => void,
  ): () => void;
  /** `stop()` and drop every handler; `start()`/`reset()` then throw `DESTROYED`. */
  destroy(): void;
}
