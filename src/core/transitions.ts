import type { Emitter } from '../lib/emitter';
import { type RefreshError, SessionError, SessionExpiredError } from '../lib/errors';
import type { RequestQueue } from '../queue/request-queue';
import type { RefreshLoop } from '../refresh/refresh-loop';
import type { Stamps } from '../tabs/stamps';
import type { SignOut, TabLink } from '../tabs/types';
import type { TokenSet } from '../tokens/token-set';
import type { TokenStore } from '../tokens/token-store';
import type { Expiry, ExpiryRecord } from './expiry-record';
import type { SessionSignals } from './modules';
import { type SessionState, type SessionStateStore, SIGNED_OUT, toUser } from './state';
import type { ExpireReason, SessionEventMap, SessionUser } from './types';

/** The same user with the renewed claims: the same object while they are unchanged. */
const renewedUser = (previous: SessionUser, next: SessionUser): SessionUser =>
  JSON.stringify(previous.claims) === JSON.stringify(next.claims) ? previous : next;

/** What the transitions work with. */
export interface TransitionDeps {
  state: SessionStateStore;
  events: Pick<Emitter<SessionEventMap>, 'emit'>;
  signals: Pick<Emitter<SessionSignals>, 'emit'>;
  store: TokenStore;
  expiries: ExpiryRecord;
  loop: RefreshLoop;
  queue: RequestQueue;
  stamps: Stamps;
  /** The link to the other tabs (`null`: none); made after the transitions, so asked for. */
  tabs(): TabLink | null;
  isDestroyed(): boolean;
}

/**
 * The only writer of the session's `status`: signed in (login, refresh, restore, another tab),
 * refreshing, expired (a forced re-login: drafts kept, requests held) and signed out. Each
 * transition updates the state first, then tells the session's parts and modules (signals), then
 * the app (public events), then the other tabs. A sign-out passed a `stamp` comes from another
 * tab (made there at that stamp); without one it is this tab's own, stamped now.
 */
export function createTransitions(deps: TransitionDeps) {
  const { state, events, signals, store, expiries, loop, queue, stamps, tabs } = deps;
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

  const warnIfNoUserId = (user: SessionUser) => {
    if (user.id !== null || warnedNoUserId) return;
    warnedNoUserId = true;
    events.emit('error', {
      error: new SessionError('USER_ID_MISSING', 'The token names no user: set the userId option'),
      source: 'refresh',
    });
  };

  /** Take a token set: from a refresh, a login, another tab, a restore or a probe. */
  const accept = (tokens: TokenSet, kind: 'login' | 'refresh' | 'restore', remote: boolean) => {
    const previous = state.get();
    const user = toUser(tokens);
    if (previous.tokens?.accessToken === tokens.accessToken) {
      // Adopted after it already arrived from another tab: nothing new.
      if (previous.status === 'refreshing')
        state.set({ status: 'authenticated', lastError: undefined });
      queue.release(tokens, true);
      return;
    }
    // A refresh continues the session held: the same sign-in, the same user.
    const continues =
      kind === 'refresh' &&
      state.signedIn() &&
      previous.user !== null &&
      previous.user.id === user.id &&
      previous.tokens?.sessionStamp === tokens.sessionStamp;
    store.save(tokens);
    // A new session: a refresh in flight belongs to the one before (aborted, never published).
    if (!continues) loop.stop();
    state.set({
      status: 'authenticated',
      tokens,
      user: continues && previous.user ? renewedUser(previous.user, user) : user,
      reason: undefined,
      lastError: undefined,
      sessionStamp: tokens.sessionStamp,
    });
    loop.schedule();
    if (continues) {
      signals.emit('tokens', { tokens });
      // The tab link published it already, before letting go of the refresh lock.
      events.emit('refresh', { expiresAt: tokens.expiresAt, ...from(remote) });
    } else {
      warnIfNoUserId(user);
      // A sign-in in any tab ends a forced re-login of an older session, reloads included.
      expiries.clear(tokens.sessionStamp);
      tabs()?.setSignedIn(true);
      signals.emit('signed-in', { user, previous: previous.user, restored: kind === 'restore' });
      if (kind !== 'restore') {
        events.emit('login', { user, ...from(remote) });
        if (!remote) tabs()?.publishLogin(tokens);
      }
    }
    queue.release(tokens, continues);
  };

  /** Enter `expired` for `user`'s session: nothing held, requests held, the modules told. */
  const enterExpired = (expiry: Omit<Expiry, 'v' | 'user'> & { user: SessionUser | null }) => {
    const { reason, user, sessionStamp, stamp } = expiry;
    leave({ status: 'expired', tokens: null, user, reason, sessionStamp, expiryStamp: stamp });
    queue.holdAll();
  };

  /** A forced re-login decided in this tab: kept for reloads and new tabs, told to the others. */
  const expire = (reason: ExpireReason = 'manual') => {
    if (deps.isDestroyed() || !state.signedIn()) return;
    const { user, sessionStamp } = state.get();
    if (sessionStamp === null) return;
    const stamp = stamps.next();
    enterExpired({ reason, user, sessionStamp, stamp });
    if (user) expiries.write({ reason, user, sessionStamp, stamp });
    signals.emit('signed-out', { kind: 'expired', user, reason, remote: false });
    events.emit('expired', { reason });
    tabs()?.publishSignOut({
      kind: 'expired',
      stamp,
      sessionStamp,
      reason,
      user: user ?? undefined,
    });
  };

  /**
   * Another tab's forced re-login (the tab link checked that it is not older than what this tab
   * holds). A tab that was signed out, starting, or holding an older session follows it too, as
   * the user of that session: all tabs then say "sign in again as …".
   */
  const remoteExpire = ({ reason = 'manual', user, sessionStamp, stamp }: SignOut) => {
    if (deps.isDestroyed()) return;
    const previous = state.get();
    const sameSession = previous.sessionStamp === sessionStamp;
    if (previous.status === 'expired' && sameSession) {
      // Expired here too already (every tab reaches the absolute end at once; or two tabs
      // expired it at the same time): the later expiry's reason holds in every tab.
      if (stamp > previous.expiryStamp) state.set({ reason, expiryStamp: stamp });
      return;
    }
    const same = state.signedIn() && sameSession;
    const expiredUser = same ? previous.user : (user ?? previous.user);
    enterExpired({ reason, user: expiredUser, sessionStamp, stamp });
    signals.emit('signed-out', { kind: 'expired', user: expiredUser, reason, remote: true });
    events.emit('expired', { reason, remote: true });
  };

  /** Sign out (logout here or in another tab); returns the tokens that were held. */
  const signOut = (remoteStamp?: number): TokenSet | null => {
    const remote = remoteStamp !== undefined;
    const stamp = remoteStamp ?? stamps.next();
    const { user, tokens, status, sessionStamp } = leave({
      ...SIGNED_OUT,
      signedOutStamp: Math.max(state.get().signedOutStamp, stamp),
    });
    // A forced re-login kept for reloads ends too, unless it came after this logout.
    expiries.clear(stamp);
    queue.rejectAll(new SessionExpiredError('logout'));
    if (status !== 'anonymous' || user) {
      signals.emit('signed-out', { kind: 'logout', user, remote });
      events.emit('logout', { user, ...from(remote) });
    }
    if (!remote) tabs()?.publishSignOut({ kind: 'logout', stamp, sessionStamp: sessionStamp ?? 0 });
    return tokens;
  };

  /**
   * Start in a forced re-login kept from before (a reload, a new tab): `expired` with its reason
   * and last user, requests held for that user, drafts kept but not shown. No public event: the
   * app was told when it happened.
   */
  const restoreExpiry = ({ reason, user, sessionStamp, stamp }: Expiry) => {
    state.set({ status: 'expired', tokens: null, user, reason, sessionStamp, expiryStamp: stamp });
    signals.emit('signed-out', { kind: 'expired', user, reason, remote: false, restored: true });
  };

  /** The start found something to wait for (the open tabs' answer, the probe). */
  const starting = () => state.set({ status: 'initializing' });

  /** The start found no session; `lastError`: it could not tell (a probe that failed). */
  const startedSignedOut = (lastError?: RefreshError) =>
    state.set({ status: 'anonymous', lastError });

  const refreshStarted = () => {
    if (state.get().status === 'authenticated') state.set({ status: 'refreshing' });
  };

  /** A failed refresh attempt: reported; a rejection ends the session (a forced re-login). */
  const refreshFailed = (error: RefreshError, attempt: number, willRetry: boolean) => {
    if (state.get().status === 'refreshing') state.set({ status: 'authenticated' });
    if (state.signedIn()) state.set({ lastError: error });
    events.emit('refresh-failed', { error, attempt, willRetry });
    if (!willRetry && state.signedIn()) expire('refresh-rejected');
  };

  return {
    accept,
    expire,
    remoteExpire,
    signOut,
    restoreExpiry,
    starting,
    startedSignedOut,
    refreshStarted,
    refreshFailed,
  };
}
