import type { Env } from '../lib/env';
import type { SessionError } from '../lib/errors';

/**
 * Active, warned (`prompted`), idle, or `paused`: by `pause()` here, or (sharing with other tabs)
 * held while another tab is paused. Paused, the timer is not counting: no prompt, no deadline.
 */
export type IdleState = 'active' | 'prompted' | 'idle' | 'paused';

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
  /**
   * When the user becomes idle if nothing happens, in epoch ms. `Infinity` while `paused`
   * (`remainingMs()` then gives the time that `resume()` continues with).
   */
  readonly deadline: number;
}

/** The events of an idle timer; the session forwards them as its own events of the same name. */
export interface IdleTimerEventMap {
  /** The prompt is due: `deadline` in epoch ms, `remainingMs` until it. */
  'idle-prompt': { deadline: number; remainingMs: number };
  /** The idle deadline passed (in this or any tab). */
  idle: Record<string, never>;
  /**
   * Left `prompted` (through activity, `reset()` or `pause()`) or `idle` (through `reset()`); not
   * fired on every activity, nor when a pause that closed no prompt ends.
   */
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
   * With no persisted activity the timer counts from now. A paused timer stays paused.
   */
  start(): void;
  /**
   * Stop: every listener, timer and channel is removed; `getState()` becomes `null`. Ends a
   * pause: the next `start()` counts from the stored last activity.
   */
  stop(): void;
  /**
   * The user chose to stay ("stay signed in"): counts as activity in every tab, leaves
   * `prompted` or `idle` (emitting `active`), ends a pause, and starts the timer when it was
   * stopped — counting a full `timeoutMs` from now, unlike `start()`.
   */
  reset(): void;
  /**
   * Stop counting (a video call, a long upload): state `paused`, no timer armed, no prompt (an
   * open one closes, emitting `active`), and never idle until `resume()`, `reset()` or `stop()`.
   * Sharing with other tabs (`crossTab`), the pause holds in every tab: while this tab is paused
   * (and open), no tab prompts or goes idle. This tab holds the Web Lock
   * `${name}:idle-paused:<tab id>`; another tab about to prompt or go idle asks the lock manager
   * first and, while a tab is paused, is `paused` too, holding the time it had left, until that
   * pause ends (`resume()`, or the tab is closed, crashes, is discarded or reloaded: the browser
   * frees its lock); no timer runs meanwhile. A tab that shows the prompt when another pauses
   * keeps it until its deadline, then closes it. Without Web Locks, this tab keeps the shared
   * last activity fresh instead (as activity every `(timeoutMs - promptBeforeMs) / 2`), so that
   * the other tabs stay active, until it resumes or is gone. The user's activity here is still
   * activity for every tab, but does not end the pause. Not counted: a second `pause()` does
   * nothing, one `resume()` ends it. In a tab held for another tab's pause, `pause()` makes the
   * pause this tab's own. Does nothing while stopped, idle, or at (or past) the deadline. A
   * reload ends the pause (it is not stored).
   */
  pause(): void;
  /**
   * End this tab's pause: the timer continues with the time that was left at `pause()` — or
   * counts from the last activity (in any tab) when that leaves more — prompting at once if
   * that is within `promptBeforeMs`. The other tabs go on with the same deadline: it is shared
   * as activity (stored and broadcast) at that deadline minus `timeoutMs`, when that is later
   * than the last activity. Does nothing when not paused, or when held for another tab's pause
   * (only that tab's `resume()` or its going away ends it).
   */
  resume(): void;
  /** `null` when stopped; the same object until the state or the deadline changes. */
  getState(): IdleTimerState | null;
  /**
   * Ms until the idle deadline, ≥ 0 (`0` when stopped or idle). While `paused`: the time that
   * `resume()` would continue with now.
   */
  remainingMs(): number;
  /**
   * The last activity as this tab knows it, in epoch ms: its own, another tab's (broadcast or
   * read from storage at a deadline check), a `reset()` or the deadline a `resume()` shared;
   * at `start()` with none stored, the start. Kept while `idle` and `paused`; `null` while stopped.
   */
  getLastActiveTime(): number | null;
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
