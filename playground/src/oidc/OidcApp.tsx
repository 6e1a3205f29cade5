import { useCallback, useEffect, useState } from 'react';
import { isSessionError } from 'sessionkeeper';
import { useSession } from 'sessionkeeper/react';
import { NoteForm } from './NoteForm';
import { ProviderCard } from './ProviderCard';
import { oidc } from './setup';
import { useOidcCallback } from './use-oidc-callback';

const VIEWS = ['orders', 'profile'] as const;
const readView = () => new URLSearchParams(window.location.search).get('view') ?? 'orders';

/** The OpenID Connect page: sign in by redirect or popup, refreshes, a forced re-login, sign-out. */
export function OidcApp() {
  const { session, status, user, expiresAt, pendingRequests, reason } = useSession();
  const [view, setView] = useState(readView);
  const [error, setError] = useState<string | null>(null);
  const [log, setLog] = useState<string[]>([]);
  const callbackError = useOidcCallback(useCallback(() => setView(readView()), []));

  useEffect(() => {
    const add = (line: string) =>
      setLog((lines) => [...lines.slice(-30), `${new Date().toLocaleTimeString()} ${line}`]);
    const offs = [
      session.on('login', (e) => add(`login ${e.user.id}${e.remote ? ' (another tab)' : ''}`)),
      session.on('refresh', (e) => add(`refresh${e.remote ? ' (another tab)' : ''}`)),
      session.on('expired', (e) => add(`expired: ${e.reason}`)),
      session.on('logout', () => add('logout')),
      session.on('error', (e) => add(`error ${e.error.code}`)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [session]);

  const run = useCallback((action: () => Promise<unknown>) => {
    setError(null);
    action().catch((cause: unknown) =>
      setError(isSessionError(cause) ? `${cause.code}: ${cause.message}` : String(cause)),
    );
  }, []);

  // `?signin=popup`: a popup opened by the page itself, with no click: the browser blocks it
  // (OIDC_POPUP_BLOCKED), and the app can fall back to a redirect.
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('signin') === 'popup') {
      run(() => oidc.signIn(session, { popup: true }));
    }
  }, [run, session]);
  const go = (next: string) => {
    window.history.pushState(null, '', `?view=${next}`);
    setView(next);
  };
  const shown = callbackError ?? error;

  return (
    <>
      <header>
        <h1>sessionkeeper/oidc</h1>
        <nav>
          <a href="/">Main playground</a>
          {VIEWS.map((name) => (
            <button key={name} type="button" onClick={() => go(name)} data-testid={`view-${name}`}>
              {name}
            </button>
          ))}
        </nav>
      </header>
      <main className="oidc">
        <section className="card">
          <h2>Session</h2>
          <p>
            <span className={`badge status-${status}`} data-testid="oidc-status">
              {status}
            </span>{' '}
            <span data-testid="oidc-user">{user?.id ?? ''}</span>{' '}
            {expiresAt ? (
              <span className="muted">token until {new Date(expiresAt).toLocaleTimeString()}</span>
            ) : null}{' '}
            <span className="muted">
              waiting requests: <span data-testid="oidc-pending">{pendingRequests}</span>
            </span>
          </p>
          <div className="row">
            <button
              type="button"
              data-testid="signin-redirect"
              onClick={() => run(() => oidc.signIn(session))}
            >
              Sign in (redirect)
            </button>
            <button
              type="button"
              data-testid="signin-popup"
              onClick={() => run(() => oidc.signIn(session, { popup: true }))}
            >
              Sign in (popup)
            </button>
            <button
              type="button"
              data-testid="refresh"
              onClick={() => run(() => session.refresh())}
            >
              Refresh now
            </button>
            <button type="button" data-testid="expire" onClick={() => session.expire()}>
              Force a re-login
            </button>
          </div>
          <div className="row">
            <button
              type="button"
              data-testid="signout-redirect"
              onClick={() => run(() => oidc.signOut(session))}
            >
              Sign out of the provider (redirect)
            </button>
            <button
              type="button"
              data-testid="signout-popup"
              onClick={() => run(() => oidc.signOut(session, { popup: true }))}
            >
              Sign out of the provider (popup)
            </button>
            <button
              type="button"
              data-testid="signout-local"
              onClick={() => run(() => oidc.signOut(session, { endSession: false }))}
            >
              Sign out here only
            </button>
          </div>
          <p className="bad" data-testid="oidc-error" hidden={!shown}>
            {shown}
          </p>
        </section>
        {status === 'expired' ? (
          <section className="card relogin" data-testid="oidc-relogin">
            <h2>Please sign in again</h2>
            <p>
              The session ended ({reason}). Nothing here is lost: {pendingRequests} request(s) wait
              for <strong>{user?.id}</strong>, and the form keeps what you typed.
            </p>
            <button
              type="button"
              data-testid="relogin-popup"
              onClick={() => run(() => oidc.signIn(session, { popup: true }))}
            >
              Sign in again in a popup
            </button>{' '}
            <button
              type="button"
              data-testid="relogin-redirect"
              onClick={() => run(() => oidc.signIn(session, { state: { view } }))}
            >
              … or by redirect
            </button>
          </section>
        ) : null}
        <section className="card">
          <h2 data-testid="oidc-view">{view}</h2>
          <NoteForm />
        </section>
        <ProviderCard />
        <section className="card">
          <h2>Events</h2>
          <ol className="oidc-log" data-testid="oidc-log">
            {log.map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an append-only log
              <li key={index}>{line}</li>
            ))}
          </ol>
        </section>
      </main>
    </>
  );
}
