import { useSession } from 'sessionkeeper/react';
import { useNow } from './hooks';
import { displayName, formatIn } from './lib/format';

/** Status, user, and live "expires in" / "next refresh in". */
export function StatusPanel() {
  const {
    session,
    status,
    user,
    expiresAt,
    refreshAt,
    sessionEndsAt,
    pendingRequests,
    reason,
    lastError,
  } = useSession();
  const now = useNow();
  // The timer's live deadline: the snapshot follows only its state, not every activity.
  const idle = session.idle?.getState() ?? null;
  const live = status === 'authenticated' || status === 'refreshing';
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">Session</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`badge status-${status}`} data-testid="status" data-status={status}>
            {status}
          </span>
          {reason && status === 'expired' ? (
            <span className="muted" data-testid="reason">
              {' '}
              ({reason})
            </span>
          ) : null}
        </dd>
        <dt>User</dt>
        <dd data-testid="user" data-user={user?.id ?? ''}>
          {displayName(user)}
        </dd>
        <dt>Expires in</dt>
        <dd data-testid="expires-in" data-expires-at={expiresAt ?? ''}>
          {live && expiresAt !== null ? formatIn(expiresAt - now) : '—'}
        </dd>
        <dt>Next refresh in</dt>
        <dd data-testid="refresh-in">
          {live && refreshAt !== null ? formatIn(refreshAt - now) : '—'}
        </dd>
        <dt>Ends for good in</dt>
        <dd data-testid="ends-in">
          {live && sessionEndsAt !== null ? formatIn(sessionEndsAt - now) : '—'}
        </dd>
        <dt>Idle</dt>
        <dd data-testid="idle-state">
          {idle ? `${idle.state} · ${formatIn(idle.deadline - now)} left` : 'off'}
        </dd>
        <dt>Waiting requests</dt>
        <dd data-testid="pending-requests">{pendingRequests}</dd>
        <dt>Last error</dt>
        <dd data-testid="last-error" className={lastError ? 'bad' : 'muted'}>
          {lastError ? `${lastError.code}: ${lastError.message}` : 'none'}
        </dd>
      </dl>
    </section>
  );
}
