// First the app's own start, then the mark: both are evaluated before the library's modules
// (ES modules run in import order).
import { sessionHint } from './app-start';
import './import-start';
import { createSession, type SessionStatus } from 'sessionkeeper';
import { statusWaiters } from './status-waiters';

/**
 * The bench page: one session as an app would make it (cookie mode against the mock auth server,
 * memory tokens, probe when the hint cookie says a session may exist), no UI, no timers of its
 * own, so that every timer, lock and message counted in this page is the library's.
 * `?create=0`: the library is imported but no session is made (for the heap figures);
 * `?storage=local`: tokens in localStorage; `?request=1`: the first authorized request is marked.
 */
performance.mark('sk:import-end');

export interface BenchPage {
  /** Settles when the session has started (its first status other than `initializing`). */
  ready: Promise<SessionStatus>;
  status(): SessionStatus | 'none';
  /** Resolves when the status is `status` (now or later). */
  whenStatus(status: SessionStatus): Promise<void>;
  login(username: string): Promise<void>;
  /** `refresh` events: sent by this tab (local) or taken from another (remote). */
  refreshes: { local: number; remote: number };
}

declare global {
  interface Window {
    __bench: BenchPage;
  }
}

const params = new URLSearchParams(location.search);

if (params.get('create') === '0') {
  window.__bench = {
    ready: Promise.resolve('anonymous'),
    status: () => 'none',
    whenStatus: () => Promise.resolve(),
    login: () => Promise.reject(new Error('No session on this page')),
    refreshes: { local: 0, remote: 0 },
  };
} else {
  performance.mark('sk:create');
  const session = createSession({
    refresh: '/auth/refresh',
    logout: '/auth/logout',
    probe: sessionHint,
    // `?storage=local`: tokens in localStorage (a new tab reads them), as oidc-client-ts keeps them.
    ...(params.get('storage') === 'local' ? { storage: 'local' as const } : {}),
  });
  performance.mark('sk:created');
  const refreshes = { local: 0, remote: 0 };
  session.on('refresh', (event) => {
    if (event.remote) refreshes.remote++;
    else refreshes.local++;
  });
  const waits = statusWaiters(() => session.getSnapshot().status);
  const statusLine = document.getElementById('status')!;
  let started!: (status: SessionStatus) => void;
  const ready = new Promise<SessionStatus>((resolve) => {
    started = resolve;
  });
  const onChange = () => {
    const { status } = session.getSnapshot();
    if (status !== 'initializing') {
      if (performance.getEntriesByName('sk:ready').length === 0) performance.mark('sk:ready');
      started(status);
    }
    statusLine.textContent = status;
    waits.changed();
  };
  session.subscribe(onChange);
  onChange();
  // `?request=1`: the first authorized request (GET /api/me), marked when it answered 200.
  if (params.get('request') === '1') {
    void ready.then(async (status) => {
      if (status === 'authenticated' && (await session.fetch('/api/me')).status === 200) {
        performance.mark('sk:first-request');
      }
    });
  }
  window.__bench = {
    ready,
    status: () => session.getSnapshot().status,
    whenStatus: waits.whenStatus,
    async login(username) {
      const response = await fetch('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username }),
      });
      await session.login(await response.json());
    },
    refreshes,
  };
}
