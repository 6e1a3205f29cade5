import { useState } from 'react';
import { useSession } from 'sessionkeeper/react';
import { capitalize, displayName } from './lib/format';
import { DEMO_USERS, signIn } from './lib/mock-api';
import { describeReason } from './lib/reasons';
import { Modal } from './Modal';

/**
 * Shown while the session is expired. The page stays mounted behind it: forms keep what was
 * typed, and requests made meanwhile wait and go out after the same user signs in again.
 */
export function ReloginDialog() {
  const { session, status, user, reason, pendingRequests, logout } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const previous = user?.id ?? null;

  const signInAs = (name: string) => {
    setError(null);
    setBusy(true);
    signIn(session, name)
      .catch((cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause)))
      .finally(() => setBusy(false));
  };

  return (
    <Modal open={status === 'expired'} testId="relogin-dialog" labelId="relogin-title">
      <h2 id="relogin-title">Please sign in again</h2>
      <p data-testid="relogin-reason" data-reason={reason ?? ''}>
        {describeReason(reason)}
      </p>
      <p className="muted">
        Nothing on this page was lost: your form is kept
        {pendingRequests > 0 ? (
          <>
            {' '}
            and <strong data-testid="relogin-pending">{pendingRequests}</strong>{' '}
            {pendingRequests === 1 ? 'request waits' : 'requests wait'} to be sent
          </>
        ) : null}
        . Signing in as someone else discards it.
      </p>
      <div className="row">
        {previous ? (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="relogin-same"
            onClick={() => signInAs(previous)}
          >
            Sign in again as {displayName(user)}
          </button>
        ) : null}
      </div>
      <div className="row">
        {DEMO_USERS.filter((name) => name !== previous).map((name) => (
          <button
            key={name}
            type="button"
            disabled={busy}
            data-testid={`relogin-as-${name}`}
            onClick={() => signInAs(name)}
          >
            Sign in as {capitalize(name)}
          </button>
        ))}
        <button type="button" disabled={busy} data-testid="relogin-signout" onClick={logout}>
          Sign out
        </button>
      </div>
      {error ? (
        <p className="bad" role="alert">
          {error}
        </p>
      ) : null}
    </Modal>
  );
}
