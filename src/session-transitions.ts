import { SessionError, SessionExpiredError } from './errors';
import type { RefreshLoop } from './refresh-loop';
import type { TabLink } from './session';
import type { SessionContext } from './session-context';
import { type SessionState, SIGNED_OUT, toUser } from './session-state';
import type { createTokenAccess } from './token-access';
import type { TokenStore } from './token-store';
import type { TokenSet } from './tokens';
import type { ExpireReason } from './types';

/**
 * The session's transitions: signed in (login, refresh, restore, another tab), expired (a forced
 * re-login: drafts kept, requests held) and signed out. Each updates the state first, then tells
 * the modules (internal events), then the app (public events), then the other tabs.
 */
export function createTransitions(
  ctx: SessionContext,
  store: TokenStore,
  loop: RefreshLoop,
  access: ReturnType<typeof createTokenAccess>,
  tabs: () => TabLink | null,
) {
  const { state, events, internal } = ctx;
  let warnedNoUserId = false;
  /** The `remote: true` of events caused by another tab. */
  const from = (remote: boolean) => (remote ? { remote } : {});

  /** Leave the signed-in state for `next`: any refresh stopped, the stored tokens removed. */
  const leave = (next: Partial<SessionState>) => {
    const previous = state.get();
    loop.stop();
    store.save(null);
    state.set(next);
    tabs()?.setSignedIn(false);
    return previous;
  };

  /** Take a token set: from a refresh, a login, another tab, a restore or a probe. */
  const accept = (tokens: TokenSet, kind: 'login' | 'refresh' | 'restore', remote: boolean) => {
    const previous = state.get();
    const user = toUser(tokens);
    if (previous.tokens?.accessToken === tokens.accessToken) {
      // Adopted after it already arrived from another tab: nothing new.
      if (previous.status === 'refreshing')
        state.set({ status: 'authenticated', lastError: undefined });
      access.release(tokens, true);
      return;
    }
    const continues = kind === 'refresh' && state.signedIn() && previous.user?.id === user.id;
    store.save(tokens);
    // A new session: a refresh in flight belongs to the one before.
    if (!continues) loop.discard();
    state.set({
      status: 'authenticated',
      tokens,
      user: continues ? previous.user : user,
      reason: undefined,
      lastError: undefined,
    });
    loop.schedule();
    if (continues) {
      internal.emit('tokens', { tokens });
      // The tab link published it already, before letting go of the refresh lock.
      events.emit('refresh', { expiresAt: tokens.expiresAt, ...from(remote) });
    } else {
      if (user.id === null && !warnedNoUserId) {
        warnedNoUserId = true;
        events.emit('error', {
          error: new SessionError(
            'USER_ID_MISSING',
            'The token names no user: set the userId option',
          ),
          source: 'refresh',
        });
      }
      tabs()?.setSignedIn(true);
      internal.emit('signed-in', { user, previous: previous.user, restored: kind === 'restore' });
      if (kind !== 'restore') {
        events.emit('login', { user, ...from(remote) });
        if (!remote) tabs()?.publishLogin(tokens);
      }
    }
    access.release(tokens, continues);
  };

  const expire = (reason: ExpireReason = 'manual', remote = false) => {
    if (ctx.destroyed || !state.signedIn()) return;
    const { user } = leave({ status: 'expired', tokens: null, reason });
    access.holdAll();
    internal.emit('signed-out', { kind: 'expired', user, reason, remote });
    events.emit('expired', { reason, ...from(remote) });
    if (!remote) tabs()?.publishSignOut('expired', reason);
  };

  /** Sign out (logout here or in another tab); returns the tokens that were held. */
  const signOut = (remote: boolean): TokenSet | null => {
    const { user, tokens, status } = leave(SIGNED_OUT);
    access.rejectAll(new SessionExpiredError('logout'));
    if (status !== 'anonymous' || user) {
      internal.emit('signed-out', { kind: 'logout', user, remote });
      events.emit('logout', { user, ...from(remote) });
    }
    if (!remote) tabs()?.publishSignOut('logout');
    return tokens;
  };

  return { accept, expire, signOut };
}
