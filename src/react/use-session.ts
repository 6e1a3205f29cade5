import { useMemo, useSyncExternalStore } from 'react';
import type { Session, SessionSnapshot } from 'sessionkeeper';
import { useSessionInstance } from './context';

/**
 * What server rendering (and hydration) sees: one frozen object, so React never mistakes it for
 * a change. `'initializing'`, because only the browser knows whether somebody is signed in.
 */
const SERVER_SNAPSHOT: SessionSnapshot = Object.freeze({
  status: 'initializing',
  user: null,
  expiresAt: null,
  refreshAt: null,
  sessionEndsAt: null,
  idle: null,
  pendingRequests: 0,
});

const getServerSnapshot = (): SessionSnapshot => SERVER_SNAPSHOT;

/** `useSession()`: the snapshot's fields, the session's actions, and the session itself. */
export interface SessionView
  extends SessionSnapshot,
    Pick<Session, 'login' | 'logout' | 'expire' | 'refresh' | 'getAccessToken'> {
  readonly session: Session;
}

/**
 * The session's state and actions. The component re-renders only when the snapshot changed
 * (a new `status`, `user`, expiry, idle state, …), and the returned object keeps its identity
 * until then. On the server the status is `'initializing'`.
 * @throws Error when no `<SessionProvider>` is above the component.
 * @example
 * const { status, user, logout } = useSession();
 * if (status === 'authenticated') return <button onClick={logout}>Sign out {user?.id}</button>;
 */
export function useSession(): SessionView {
  const session = useSessionInstance();
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot, getServerSnapshot);
  return useMemo(
    () => ({
      ...snapshot,
      login: session.login,
      logout: session.logout,
      expire: session.expire,
      refresh: session.refresh,
      getAccessToken: session.getAccessToken,
      session,
    }),
    [session, snapshot],
  );
}
