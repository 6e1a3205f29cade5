import { SessionError, SessionExpiredError } from './errors';
import type { RefreshLoop } from './refresh-loop';
import type { TabLink } from './session';
import type { SessionContext } from './session-context';
import { SIGNED_OUT, toUser } from './session-state';
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

  /** Take a token set: from a refresh, a login, another tab, a restore or a probe. */
  function accept(tokens: TokenSet, kind: 'login' | 'refresh' | 'restore', remote: boolean) {
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
    const extra = remote ? { remote } : {};
    if (continues) {
      internal.emit('tokens', { tokens });
      // The tab link published it already, before letting go of the refresh lock.
      events.emit('refresh', { expiresAt: tokens.expiresAt, ...extra });
    } else {
      if (user.id === null && !warnedNoUserId) {
        warnedNoUserId = true;
        events.emit('error', {
          error: new SessionError(
            'USER_ID_MISSING',
            'The token names no user: set the userId option (drafts and held requests need it)',
          ),
          source: 'refresh',
        });
      }
      tabs()?.setSignedIn(true);
      internal.emit('signed-in', { user, previous: previous.user, restored: kind === 'restore' });
      if (kind !== 'restore') {
        events.emit('login', { user, ...extra });
        if (!remote) tabs()?.publishLogin(tokens);
      }
    }
    access.release(tokens, continues);
  }

  function expire(reason: ExpireReason = 'manual', remote = false) {
    if (ctx.destroyed || !state.signedIn()) return;
    loop.stop();
    store.save(null);
    const { user } = state.get();
    state.set({ status: 'expired', tokens: null, reason });
    access.holdAll();
    tabs()?.setSignedIn(false);
    internal.emit('signed-out', { kind: 'expired', user, reason, remote });
    events.emit('expired', { reason, ...(remote ? { remote } : {}) });
    if (!remote) tabs()?.publishSignOut('expired', reason);
  }

  /** Sign out (logout here or in another tab); returns the tokens that were held. */
  function signOut(remote: boolean): TokenSet | null {
    const { user, tokens, status } = state.get();
    loop.stop();
    store.save(null);
    state.set(SIGNED_OUT);
    access.rejectAll(new SessionExpiredError('logout'));
    tabs()?.setSignedIn(false);
    if (status !== 'anonymous' || user) {
      internal.emit('signed-out', { kind: 'logout', user, remote });
      events.emit('logout', { user, ...(remote ? { remote } : {}) });
    }
    if (!remote) tabs()?.publishSignOut('logout');
    return tokens;
  }

  return { accept, expire, signOut };
}
