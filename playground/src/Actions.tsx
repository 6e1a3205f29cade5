import { useEffect, useState } from 'react';
import { useSession } from 'sessionkeeper/react';
import { capitalize } from './lib/format';
import {
  type BreakKind,
  breakNextRefresh,
  DEMO_USERS,
  revokeOnServer,
  signIn,
} from './lib/mock-api';
import { type BurstResult, burst, type PollCounts, poll } from './lib/requests';

const BREAKS: { kind: BreakKind; label: string }[] = [
  { kind: 'network', label: 'network error' },
  { kind: 'server', label: '500' },
  { kind: 'invalid_grant', label: 'invalid_grant' },
];

/** Sign in and out, send requests, and make the server misbehave. */
export function Actions() {
  const { session, status, user, logout } = useSession();
  const [message, setMessage] = useState<string | null>(null);
  const [count, setCount] = useState(30);
  const [result, setResult] = useState<BurstResult | 'running' | null>(null);
  const [polling, setPolling] = useState(false);
  const [pollCounts, setPollCounts] = useState<PollCounts>({ ok: 0, failed: 0 });
  const signedIn = status === 'authenticated' || status === 'refreshing';

  useEffect(() => (polling ? poll(session, 1000, setPollCounts) : undefined), [session, polling]);

  const run = (action: () => Promise<unknown>, done?: string) => {
    setMessage(null);
    action().then(
      () => done && setMessage(done),
      (error: unknown) => setMessage(error instanceof Error ? error.message : String(error)),
    );
  };

  return (
    <section className="card" aria-labelledby="actions-title">
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
        <label>
          Burst{' '}
          <input
            type="number"
            min={1}
            max={200}
            value={count}
            data-testid="burst-count"
            onChange={(event) => setCount(Math.max(1, Number(event.target.value) || 1))}
          />{' '}
          requests
        </label>
        <button
          type="button"
          data-testid="burst"
          disabled={result === 'running'}
          onClick={() => {
            setResult('running');
            void burst(session, count).then(setResult);
          }}
        >
          Send at once
        </button>
        <span data-testid="burst-result" data-ok={typeof result === 'object' ? result?.ok : ''}>
          {result === 'running'
            ? 'sending…'
            : result
              ? `${result.ok} ok · ${result.failed} failed · ${result.ms} ms`
              : ''}
        </span>
      </div>
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
          onClick={() => user?.id && run(() => revokeOnServer(user.id!), 'Revoked on the server')}
        >
          Revoke session on the server
        </button>
      </div>
      <div className="row">
        <span>Break the next refresh:</span>
        {BREAKS.map(({ kind, label }) => (
          <button
            key={kind}
            type="button"
            className="danger"
            data-testid={`break-${kind}`}
            onClick={() => run(() => breakNextRefresh(kind), `The next refresh fails: ${label}`)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="row">
        <button
          type="button"
          data-testid="refresh-now"
          disabled={!signedIn}
          onClick={() => run(() => session.refresh(), 'Refreshed')}
        >
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
      {message ? (
        <p className="muted" data-testid="action-message" role="status">
          {message}
        </p>
      ) : null}
    </section>
  );
}
