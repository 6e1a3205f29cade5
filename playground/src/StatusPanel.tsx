import { useSession } from 'sessionkeeper/react';
import { useLastError, useNow } from './hooks';
import { displayName } from './lib/format';
import { describeLastError } from './lib/last-error';
import { describeTimes, readIdle } from './lib/times';

/** Status, user, and live "expires in" / "next refresh in" / idle / last error. */
export function StatusPanel() {
  const snapshot = useSession();
  const { session, status, user, expiresAt, pendingRequests, reason } = snapshot;
  const now = useNow();
  const lastError = useLastError(session);
  const times = describeTimes(snapshot, readIdle(session), now);
  return (
    <section className="card status" aria-labelledby="status-title">
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
          {times.expiresIn}
        </dd>
        <dt>Next refresh in</dt>
        <dd data-testid="refresh-in">{times.refreshIn}</dd>
        <dt>Ends for good in</dt>
        <dd data-testid="ends-in">{times.endsIn}</dd>
        <dt>Idle</dt>
        <dd data-testid="idle-state">{times.idle}</dd>
        <dt>Waiting requests</dt>
        <dd data-testid="pending-requests">{pendingRequests}</dd>
        <dt>Last error</dt>
        <dd
          data-testid="last-error"
          data-code={lastError?.code ?? ''}
          className={lastError && lastError.clearedAt === null ? 'bad' : 'muted'}
        >
          {describeLastError(lastError)}
        </dd>
      </dl>
    </section>
  );
}
