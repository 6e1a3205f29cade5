import { useCallback, useEffect, useReducer, useSyncExternalStore } from 'react';
import type { IdleState } from 'sessionkeeper';
import { useSessionModule } from './context';

const stopped = (): IdleState | null => null;

/** `useIdleTimer()`: the session's idle timer, for a "you will be signed out" dialog. */
export interface IdleTimerView {
  /**
   * `'active'`, `'prompted'` (show the warning), `'idle'` or `'paused'` (no warning, no
   * countdown); `null` while the timer is not running: nobody is signed in, or on the server.
   */
  readonly state: IdleState | null;
  /**
   * Ms until the user is idle (`0` while the timer is not running; while `'paused'`, the time
   * `resume()` continues with). Re-rendered once a second, on whole seconds before the deadline,
   * while `state` is `'prompted'`; otherwise the value at the last render.
   */
  readonly remainingMs: number;
  /**
   * "Stay signed in": counts as activity in every tab and closes the prompt (it ends a pause
   * too). Does nothing while the timer is not running (it never starts the timer for a
   * signed-out user). Stable identity.
   */
  stayActive(): void;
  /**
   * Stop counting (a video call, a long upload): `state` becomes `'paused'`, an open prompt
   * closes, and the user is never idle until `resume()`. The pause holds in every tab of the
   * session (see `IdleTimer.pause()`). Does nothing while the timer is not running. Stable
   * identity.
   */
  pause(): void;
  /** End a pause, continuing with the time that was left. Stable identity. */
  resume(): void;
  /**
   * The last activity known to this tab (any tab's), in epoch ms; `null` while the timer is not
   * running. Read when called (it does not re-render). Stable identity.
   */
  getLastActiveTime(): number | null;
}

/**
 * The idle timer's state, with a countdown while the prompt is shown. Re-renders only when
 * `state` changes (`pause()` and `resume()` included), and once a second while it is
 * `'prompted'`: activity that moves the deadline while `'active'` renders nothing, and a paused
 * timer has no countdown.
 * @throws Error when no `<SessionProvider>` is above the component, or its session has no
 *   `idle` module.
 * @example
 * const { state, remainingMs, stayActive } = useIdleTimer();
 * if (state !== 'prompted') return null;
 * return <dialog open>Signing out in {Math.ceil(remainingMs / 1000)} s
 *   <button onClick={stayActive}>Stay signed in</button></dialog>;
 */
export function useIdleTimer(): IdleTimerView {
  const [, idle] = useSessionModule('useIdleTimer', 'idle');
  // Only `state` is selected (a primitive): the timer's state object changes with every burst of
  // activity (its deadline moves), and a component that shows nothing while active must not
  // re-render for it. `remainingMs` is read at render, and ticked below while prompted.
  const state = useSyncExternalStore(idle.subscribe, () => idle.getState()?.state ?? null, stopped);
  const [, tick] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    if (state !== 'prompted') return;
    let timer: ReturnType<typeof setTimeout>;
    // Aligned to whole seconds before the deadline, so `Math.ceil(remainingMs / 1000)` counts down evenly.
    const next = () => {
      timer = setTimeout(
        () => {
          tick();
          next();
        },
        idle.remainingMs() % 1000 || 1000,
      );
    };
    next();
    return () => clearTimeout(timer);
  }, [idle, state]);

  const stayActive = useCallback(() => {
    if (idle.getState()) idle.reset();
  }, [idle]);

  return {
    state,
    remainingMs: state === null ? 0 : idle.remainingMs(),
    stayActive,
    // The timer's own functions: stable, and no-ops while it is not running.
    pause: idle.pause,
    resume: idle.resume,
    getLastActiveTime: idle.getLastActiveTime,
  };
}
