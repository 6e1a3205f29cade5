import type { IdleTimerState, SessionSnapshot } from 'sessionkeeper';
import { formatIn } from './format';

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
 * `idle`: the idle timer's state (`null` while it is not running), or `'off'` when the page has
 * no idle timeout.
 */
export function describeTimes(
  snapshot: SessionSnapshot,
  idle: IdleTimerState | null | 'off',
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

function describeIdle(idle: IdleTimerState | null | 'off', now: number): string {
  if (idle === 'off') return 'off';
  if (idle === null) return 'starts at sign-in';
  if (idle.state === 'idle') return 'idle: signed out';
  return `${idle.state} · ${formatIn(idle.deadline - now)} left`;
}

/** Whole seconds left until `deadline` at `now`, as every countdown of the page shows them. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
