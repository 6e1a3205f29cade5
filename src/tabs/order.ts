import type { SessionStateStore } from '../core/state';
import type { TokenSet } from '../tokens/token-set';
import type { SignOut } from './types';

/**
 * What a message from another tab may change, decided by stamps (see `stamps.ts`) against what
 * this tab holds, never by when the message arrived.
 */
export function createOrder(state: SessionStateStore) {
  /** A later sign-in than every sign-in and logout this tab knows of? */
  const isNewSession = (tokens: TokenSet) => {
    const { sessionStamp, signedOutStamp } = state.get();
    return tokens.sessionStamp > Math.max(sessionStamp ?? 0, signedOutStamp);
  };

  /**
   * A token set of the session held here, newer than `than` (default: the one held)? A refresh
   * is taken only then: it continues the very session this tab holds, so it never changes the
   * user.
   */
  const continuesHeld = (tokens: TokenSet, than = state.get().tokens) =>
    state.signedIn() &&
    than !== null &&
    tokens.sessionStamp === than.sessionStamp &&
    tokens.userId === than.userId &&
    tokens.stamp > than.stamp;

  return {
    isNewSession,
    continuesHeld,
    /** A token set newer than `since`: a later one of its session, or a later session. */
    newerThan: (tokens: TokenSet, since: TokenSet) =>
      continuesHeld(tokens, since) ||
      (tokens.sessionStamp > since.sessionStamp && isNewSession(tokens)),
    /** Must this tab follow another tab's sign-out? */
    followsSignOut(signOut: SignOut) {
      const { sessionStamp, signedOutStamp } = state.get();
      // A logout ends any session begun before it; one made before this session began (and
      // delivered late) is not about it.
      if (signOut.kind === 'logout') return sessionStamp === null || signOut.stamp >= sessionStamp;
      // An expiry ends the session it names, or an older one this tab still holds: never a newer
      // session (another tab's sign-in it had not heard of), nor one this tab was logged out of.
      return signOut.sessionStamp >= (sessionStamp ?? 0) && signOut.sessionStamp > signedOutStamp;
    },
  };
}

export type Order = ReturnType<typeof createOrder>;
