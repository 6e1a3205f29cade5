import type { IdleTimerState, Session, SessionSnapshot } from 'sessionkeeper';
import { formatIn } from './format';

/**
 * The idle timer as the page shows it: its state and deadline, and `remainingMs` for a paused
 * timer (whose deadline is `Infinity`: the time that resuming continues with). `null` while it is
 * not running; `'off'` when the page has no idle timeout.
 */
export type IdleReading = (IdleTimerState & { remainingMs: number }) | null | 'off';

/** Read the session's idle timer now (its live deadline: the snapshot follows only its state). */
export function readIdle(session: Session): IdleReading {
  if (!session.idle) return 'off';
  const state = session.idle.getState();
  return state && { ...state, remainingMs: session.idle.remainingMs() };
}

/** The session card's time rows, in words. */
export interface SessionTimes {
  expiresIn: string;
  refreshIn: string;
  endsIn: string;
  idle: string;
}

/**
 * The time rows of the session card at `now`. Every countdown of the page goes through here with
 * the same `now`, so the card, the idle dialog and the session-ending banner always agree.
 * `idle`: see {@link readIdle}.
 */
export function describeTimes(
  snapshot: SessionSnapshot,
  idle: IdleReading,
  now: number,
): SessionTimes {
  const { status, expiresAt, refreshAt, sessionEndsAt } = snapshot;
  const live = status === 'authenticated' || status === 'refreshing';
  const endsFirst = sessionEndsAt !== null && refreshAt !== null && refreshAt >= sessionEndsAt;
  let refreshIn = '—';
  if (live && refreshAt !== null) {
    refreshIn = endsFirst ? 'none: the session ends first' : formatIn(refreshAt - now);
  }
  return {
    expiresIn: live && expiresAt !== null ? formatIn(expiresAt - now) : '—',
    refreshIn,
    endsIn: live && sessionEndsAt !== null ? formatIn(sessionEndsAt - now) : '—',
    idle: describeIdle(idle, now),
  };
}

function describeIdle(idle: IdleReading, now: number): string {
  if (idle === 'off') return 'off';
  if (idle === null) return 'starts at sign-in';
  if (idle.state === 'idle') return 'idle: signed out';
  // No countdown while paused: the time left when resumed.
  if (idle.state === 'paused') return `paused · ${formatIn(idle.remainingMs)} left`;
  return `${idle.state} · ${formatIn(idle.deadline - now)} left`;
}

/** Whole seconds left until `deadline` at `now`, as every countdown of the page shows them. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
