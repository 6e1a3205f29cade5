import { useEffect, useReducer, useSyncExternalStore } from 'react';
import { useSessionInstance } from './context';

/** `useSessionEnding()`: the warning before the session's absolute end. */
export interface SessionEndingView {
  /** When the session ends for good (`sessionEndsAt`), epoch ms; `null` when unknown or signed out. */
  readonly endsAt: number | null;
  /** `true` from `endWarningMs` before the end until the end: show the warning. */
  readonly warning: boolean;
  /** Ms until the end while `warning` (re-rendered once a second); `0` otherwise. */
  readonly remainingMs: number;
}

const unknownEnd = () => null;

/**
 * The session's absolute end (`maxSessionMs`, or the refresh token's own expiry), with a
 * countdown once the warning is due — so users see a forced re-login coming and lose nothing.
 * @throws Error when no `<SessionProvider>` is above the component.
 * @example
 * const { warning, remainingMs } = useSessionEnding();
 * if (!warning) return null;
 * return <p role="alert">Your session ends in {Math.ceil(remainingMs / 60_000)} min: save your work.</p>;
 */
export function useSessionEnding(): SessionEndingView {
  const session = useSessionInstance();
  const endsAt = useSyncExternalStore(
    session.subscribe,
    () => session.getSnapshot().sessionEndsAt,
    unknownEnd,
  );
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const ending = endsAt === null ? null : session.sessionEnding();

  // The warning starts with the `session-ending` event (in every tab at once).
  useEffect(() => session.on('session-ending', tick), [session]);
  useEffect(() => {
    if (!ending) return;
    // Aligned to whole seconds before the end, so `Math.ceil(remainingMs / 1000)` counts down evenly.
    const timer = setTimeout(tick, ending.remainingMs % 1000 || 1000);
    return () => clearTimeout(timer);
  });

  return { endsAt, warning: ending !== null, remainingMs: ending?.remainingMs ?? 0 };
}
