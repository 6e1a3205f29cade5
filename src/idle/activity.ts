import { listenWindow, type RuntimeEnv } from '../lib/env';

/**
 * The events that only make the timer re-check its deadlines (after sleep, a frozen or
 * throttled tab, a back/forward-cache restore, the network coming back). They are never
 * activity: a user who comes back after the deadline is idle, not active.
 */
export const RECHECK_EVENTS: readonly string[] = [
  'visibilitychange',
  'focus',
  'pageshow',
  'online',
];

// Removal matches on `capture` only, so the same object serves both.
const OPTIONS: AddEventListenerOptions = { capture: true, passive: true };

/**
 * Listen to the activity events in the capture phase (so `stopPropagation` in the app cannot
 * hide activity, and `scroll` of any element is seen), passive (never delays scrolling), and to
 * the re-check events. An event a script made (`isTrusted === false`) is not activity: a page
 * that dispatches a synthetic `scroll` now and then must not keep the user signed in. An event
 * without `isTrusted` (an injected window's plain object) counts. Returns the remover of all.
 */
export function listenActivity(
  env: RuntimeEnv,
  events: readonly string[],
  onActivity: () => void,
  onRecheck: () => void,
): () => void {
  const target = env.window();
  // The hot path: one property read before the timer's own throttle.
  const listener = (event: Event) => {
    if (event.isTrusted !== false) onActivity();
  };
  // A type given twice is added (and removed) once, as the DOM dedupes listeners.
  const types = events.filter((type) => !RECHECK_EVENTS.includes(type));
  for (const type of types) target?.addEventListener(type, listener, OPTIONS);
  const stopRecheck = listenWindow(env, RECHECK_EVENTS, onRecheck);
  return () => {
    for (const type of types) target?.removeEventListener(type, listener, OPTIONS);
    stopRecheck();
  };
}
