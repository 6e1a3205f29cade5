import { useEffect, useState } from 'react';
import { isSessionError } from 'sessionkeeper';
import { useSession } from 'sessionkeeper/react';
import { BurstRow } from './BurstRow';
import { useActionLog } from './hooks';
import { describeError, type ShowOptions } from './lib/action-log';
import { capitalize, formatClock } from './lib/format';
import {
  BREAKS,
  breakNextRefresh,
  DEMO_USERS,
  REVOKE_EXPLAINED,
  revokeOnServer,
  signIn,
} from './lib/mock-api';
import { type PollCounts, poll } from './lib/requests';

/** Sign in and out, send requests, and make the server misbehave. */
export function Actions() {
  const { session, status, user, logout } = useSession();
  const [message, log] = useActionLog(session);
  const [polling, setPolling] = useState(false);
  const [pollCounts, setPollCounts] = useState<PollCounts>({ ok: 0, failed: 0 });
  const signedIn = status === 'authenticated' || status === 'refreshing';

  useEffect(() => (polling ? poll(session, 1000, setPollCounts) : undefined), [session, polling]);

  /** Run an action; say `done` when it worked, the error when it did not. */
  const run = (action: () => Promise<unknown>, done?: [string, ShowOptions?]) => {
    action().then(
      () => (done ? log?.show(...done) : log?.clear()),
      (error: unknown) => log?.show(describeError(error), { tone: 'bad', until: ['sign-in'] }),
    );
  };

  const refreshNow = () =>
    session.refresh().then(
      () => log?.show('Refreshed.', { tone: 'ok' }),
      (error: unknown) => {
        const rejected = isSessionError(error, 'REFRESH_REJECTED');
        log?.show(
          rejected
            ? `Refresh now was rejected (${describeError(error)}): sign in again.`
            : `Refresh now failed (${describeError(error)}). The session retries by itself.`,
          rejected
            ? { tone: 'bad', until: ['sign-in'] }
            : { tone: 'bad', until: ['refreshed', 'sign-in'], replaceWith: 'The retry succeeded.' },
        );
      },
    );

  return (
    <section className="card actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div className="row">
        {DEMO_USERS.map((name) => (
          <button
            key={name}
            type="button"
            className="primary"
            data-testid={`signin-${name}`}
            onClick={() => run(() => signIn(session, name))}
          >
            Sign in as {capitalize(name)}
          </button>
        ))}
        <button
          type="button"
          data-testid="signout"
          disabled={status === 'anonymous'}
          onClick={() => run(logout)}
        >
          Sign out
        </button>
      </div>
      <div className="row">
        <button type="button" data-testid="refresh-now" disabled={!signedIn} onClick={refreshNow}>
          Refresh now
        </button>
        <button
          type="button"
          data-testid="expire-now"
          disabled={!signedIn}
          onClick={() => session.expire()}
        >
          Force re-login
        </button>
      </div>
      <BurstRow session={session} />
      <div className="row">
        <label>
          <input
            type="checkbox"
            data-testid="poll"
            checked={polling}
            onChange={(event) => setPolling(event.target.checked)}
          />{' '}
          GET /api/me every second
        </label>
        <span data-testid="poll-counts" data-ok={pollCounts.ok} data-failed={pollCounts.failed}>
          {pollCounts.ok} ok · {pollCounts.failed} failed
        </span>
      </div>
      <div className="row">
        <button
          type="button"
          className="danger"
          data-testid="revoke"
          disabled={!signedIn || !user?.id}
          onClick={() =>
            user?.id &&
            run(
              () => revokeOnServer(user.id!),
              [`Revoked ${capitalize(user.id)}'s session on the server.`, { until: ['sign-in'] }],
            )
          }
        >
          Revoke session on the server
        </button>
      </div>
      <p className="muted">{REVOKE_EXPLAINED}</p>
      <div className="row">
        <span>Break the next refresh:</span>
        {BREAKS.map(({ kind, label, effect }) => (
          <button
            key={kind}
            type="button"
            className="danger"
            data-testid={`break-${kind}`}
            onClick={() =>
              run(
                () => breakNextRefresh(kind),
                [`The next refresh fails: ${label}. ${effect}`, { until: ['refresh-attempt'] }],
              )
            }
          >
            {label}
          </button>
        ))}
      </div>
      <p
        className={`result-line tall ${message?.tone ?? ''}`}
        data-testid="action-message"
        data-tone={message?.tone ?? ''}
        role="status"
      >
        {message ? `${formatClock(message.at)} · ${message.text}` : ''}
      </p>
    </section>
  );
}
