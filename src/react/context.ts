import { createContext, createElement, type ReactElement, type ReactNode, useContext } from 'react';
import type { Session } from 'sessionkeeper';

const SessionContext = createContext<Session | null>(null);

export interface SessionProviderProps {
  /**
   * The session, created once outside of rendering (at module scope, or in a `useState`
   * initializer) and destroyed by the app when it is done with it.
   */
  session: Session;
  children?: ReactNode;
}

/**
 * Makes `session` available to `useSession()`, `useIdleTimer()`, `useFormDraft()` and
 * `useDraft()` below it. Renders nothing of its own.
 * @example
 * const session = createSession({ refresh: '/auth/refresh', idle: createIdleTimer() });
 * createRoot(el).render(<SessionProvider session={session}><App /></SessionProvider>);
 */
export function SessionProvider({ session, children }: SessionProviderProps): ReactElement {
  return createElement(SessionContext.Provider, { value: session }, children);
}

/** The provider's session; a clear error for a hook used outside of one. */
export function useSessionInstance(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('sessionkeeper/react: hook used outside <SessionProvider>');
  return session;
}

const FACTORIES = { idle: 'createIdleTimer', drafts: 'createDraftStore' } as const;

/**
 * The provider's session and one of its modules; a clear error when the session was created
 * without it.
 */
export function useSessionModule<K extends keyof typeof FACTORIES>(
  hook: string,
  module: K,
): [Session, NonNullable<Session[K]>] {
  const session = useSessionInstance();
  const instance = session[module];
  if (!instance) {
    const factory = FACTORIES[module];
    throw new Error(
      `sessionkeeper/react: ${hook}() needs the ${module} module: ` +
        `createSession({ ${module}: ${factory}() }) with ${factory} from 'sessionkeeper/${module}'`,
    );
  }
  return [session, instance as NonNullable<Session[K]>];
}
