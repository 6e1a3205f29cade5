import type { Emitter } from './emitter';
import { SessionError, SessionExpiredError } from './errors';
import type { RefreshLoop } from './refresh-loop';
import type { TabLink } from './session';
import type { InternalEvents } from './session-context';
import { type SessionStateStore, toUser } from './session-state';
import type { createTokenAccess } from './token-access';
import type { TokenStore } from './token-store';
import type { TokenSet } from './tokens';
import type { ErrorSource, ExpireReason, SessionEventMap, SessionUser } from './types';

interface Deps {
  state: SessionStateStore;
  store: TokenStore;
  loop: RefreshLoop;
  access: ReturnType<typeof createTokenAccess>;
  events: Emitter<SessionEventMap>;
  internal: Emitter<InternalEvents>;
  tabs(): TabLink | null;
  /** Discard any refresh in flight: its result belongs to the session being left. */
  bumpEpoch(): void;
  isDestroyed(): boolean;
  reportError(error: SessionError, source: ErrorSource): void;
}

/**
 * The session's transitions: signed in (login, refresh, restore, another tab), expired (a forced
 * re-login: drafts kept, requests held) and signed out. Each updates the state first, then tells
 * the modules (internal events), then the app (public events), then the other tabs.
 */
export function createTransitions(deps: Deps) {
  const { state, store, loop, access, events, internal } = deps;
  let warnedNoUserId = false;
  const isAuthenticated = () => ['authenticated', 'refreshing'].includes(state.get().status);

  /** Take a token set: from a refresh, a login, another tab, a restore or a probe. */
  function accept(tokens: TokenSet, kind: 'login' | 'refresh' | 'restore', remote: boolean) {
    const previous = state.get();
    const user = toUser(tokens);
    if (previous.tokens?.accessToken === tokens.accessToken) {
      // Adopted after it already arrived from another tab: nothing new.
      if (previous.status === 'refreshing')
        state.set({ status: 'authenticated', lastError: undefined });
      access.release(user, tokens, true);
      return;
    }
    const continues =
      kind === 'refresh' &&
      (previous.status === 'authenticated' || previous.status === 'refreshing') &&
      previous.user?.id === user.id;
    store.save(tokens);
    if (!continues) deps.bumpEpoch();
    state.set({
      status: 'authenticated',
      tokens,
      user: continues ? previous.user : user,
      reason: undefined,
      lastError: undefined,
    });
    loop.schedule();
    if (!continues && user.id === null && !warnedNoUserId) {
      warnedNoUserId = true;
      deps.reportError(
        new SessionError(
          'USER_ID_MISSING',
          'The token names no user: set the userId option so drafts and held requests can follow a re-login',
        ),
        'refresh',
      );
    }
    if (continues) {
      internal.emit('tokens', { tokens });
      // The tab link published it already, before letting go of the refresh lock.
      events.emit('refresh', { expiresAt: tokens.expiresAt, ...(remote ? { remote } : {}) });
    } else {
      deps.tabs()?.setSignedIn(true);
      internal.emit('signed-in', { user, previous: previous.user, restored: kind === 'restore' });
      if (kind !== 'restore') events.emit('login', { user, ...(remote ? { remote } : {}) });
      if (!remote && kind !== 'restore') deps.tabs()?.publishTokens(tokens, 'login');
    }
    access.release(user, tokens, continues);
  }

  function expire(reason: ExpireReason = 'manual', remote = false) {
    if (deps.isDestroyed() || !isAuthenticated()) return;
    deps.bumpEpoch();
    loop.stop();
    store.save(null);
    const { user } = state.get();
    state.set({ status: 'expired', tokens: null, reason });
    access.holdAll();
    deps.tabs()?.setSignedIn(false);
    internal.emit('signed-out', { kind: 'expired', user, reason, remote });
    events.emit('expired', { reason, ...(remote ? { remote } : {}) });
    if (!remote) deps.tabs()?.publishSignOut('expired', user?.id ?? null, reason);
  }

  function signOut(remote: boolean): { user: SessionUser | null; tokens: TokenSet | null } {
    const { user, tokens, status } = state.get();
    deps.bumpEpoch();
    loop.stop();
    store.save(null);
    state.set({
      status: 'anonymous',
      tokens: null,
      user: null,
      reason: undefined,
      lastError: undefined,
    });
    access.rejectAll(new SessionExpiredError('logout'));
    deps.tabs()?.setSignedIn(false);
    if (status !== 'anonymous' || user) {
      internal.emit('signed-out', { kind: 'logout', user, remote });
      events.emit('logout', { user, ...(remote ? { remote } : {}) });
    }
    if (!remote) deps.tabs()?.publishSignOut('logout', user?.id ?? null);
    return { user, tokens };
  }

  return { accept, expire, signOut };
}
