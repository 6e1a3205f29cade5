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

/** `useSession()`: the snapshot's fields, the session's actions, and the session itself. */
export interface SessionView
  extends SessionSnapshot,
    Pick<Session, 'login' | 'logout' | 'expire' | 'refresh' | 'getAccessToken'> {
  readonly session: Session;
}

const toView = (session: Session, snapshot: SessionSnapshot): SessionView => ({
  ...snapshot,
  login: session.login,
  logout: session.logout,
  expire: session.expire,
  refresh: session.refresh,
  getAccessToken: session.getAccessToken,
  session,
});

const whole = (view: SessionView) => view;

/**
 * One component's selection from one session: the view of the last snapshot seen, and the last
 * value selected, kept while `isEqual` holds. So `useSyncExternalStore` gets the same value for
 * the same snapshot (no render loop), and the same reference while the selection is equal (no
 * render).
 */
function createSelection(session: Session) {
  let snapshot: SessionSnapshot | undefined;
  let view: SessionView;
  let selector: unknown;
  let value: unknown;
  let hasValue = false;
  return <T>(
    next: SessionSnapshot,
    select: (view: SessionView) => T,
    isEqual: (a: T, b: T) => boolean,
  ): T => {
    if (next !== snapshot) {
      snapshot = next;
      view = toView(session, next);
    } else if (select === selector) {
      return value as T;
    }
    // A new selector at each render (an inline arrow) is the usual case: it keeps the value too.
    selector = select;
    const selected = select(view);
    if (!hasValue || !isEqual(value as T, selected)) value = selected;
    hasValue = true;
    return value as T;
  };
}

/**
 * The session's state and actions. The component re-renders only when the snapshot changed
 * (a new `status`, `user`, expiry, idle state, `pendingRequests`, …), and the returned object
 * keeps its identity until then: `pendingRequests` alone changes twice per request, so a
 * component that shows only some fields is better off with `useSession(selector)`. On the
 * server the status is `'initializing'`.
 * @throws Error when no `<SessionProvider>` is above the component.
 * @example
 * const { status, user, logout } = useSession();
 * if (status === 'authenticated') return <button onClick={logout}>Sign out {user?.id}</button>;
 */
export function useSession(): SessionView;
/**
 * What `selector` reads of the session: the component re-renders only when that changes (as
 * `isEqual` says), not at every change of the snapshot — `pendingRequests` alone changes twice
 * per request. `selector` receives the object that `useSession()` returns; it may be a new
 * function at each render. On the server it reads the `'initializing'` snapshot.
 * @param selector Picks what the component renders. Keep it pure and cheap: it runs at each
 *   change of the snapshot and each render.
 * @param isEqual Whether two selections are the same (the previous one is then kept, reference
 *   included, and nothing re-renders). Give a shallow comparison to a selector that returns a
 *   new object or array. @default Object.is
 * @throws Error when no `<SessionProvider>` is above the component.
 * @example
 * const status = useSession((s) => s.status);
 * const busy = useSession((s) => s.pendingRequests > 0);
 */
export function useSession<T>(
  selector: (view: SessionView) => T,
  isEqual?: (a: T, b: T) => boolean,
): T;
export function useSession<T>(
  selector: (view: SessionView) => T = whole as (view: SessionView) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const session = useSessionInstance();
  const select = useMemo(() => createSelection(session), [session]);
  return useSyncExternalStore(
    session.subscribe,
    () => select(session.getSnapshot(), selector, isEqual),
    () => select(SERVER_SNAPSHOT, selector, isEqual),
  );
}
