import { createEmitter } from './emitter';
import { listenWindow, resolveEnv } from './env';
import { QueueFullError, SessionError, SessionExpiredError } from './errors';
import { createGate, type Waiter } from './gate';
import { createRefreshLoop } from './refresh-loop';
import { createLogoutCall, createRefresher, withTimeout } from './refresh-request';
import { createScheduler } from './scheduler';
import type { InternalEvents, SessionContext } from './session-context';
import {
  crossTabEnabled,
  crossTabName,
  queueOptions,
  REFRESH_BEFORE_EXPIRY_MS,
} from './session-options';
import { createSessionState, refreshTime, toUser } from './session-state';
import { createTokenStore } from './token-store';
import { parseTokenResponse, type TokenSet, toTokenSet } from './tokens';
import type {
  ExpireReason,
  SessionCoreApi,
  SessionEventMap,
  SessionOptions,
  SessionUser,
} from './types';

const WAKE_EVENTS = ['visibilitychange', 'focus', 'online', 'pageshow'] as const;

/** What the cross-tab link (or its absence) does for the core. */
export interface TabLink {
  /** Refresh under the cross-tab lock, or adopt a fresher token set another tab already got. */
  refresh(
    current: TokenSet | null,
    perform: (signal: AbortSignal) => Promise<TokenSet>,
    signal: AbortSignal,
  ): Promise<TokenSet>;
  publishTokens(tokens: TokenSet, kind: 'login' | 'refresh'): void;
  publishSignOut(kind: 'logout' | 'expired', userId: string | null, reason?: ExpireReason): void;
  /** Whether this tab holds a signed-in session (other tabs may ask it for the tokens). */
  setSignedIn(signedIn: boolean): void;
  /** Ask the open tabs for the session: `null` at once when no other tab is known to be open. */
  askTabs(): Promise<TokenSet | null> | null;
  destroy(): void;
}

/** What another tab told this one. */
export interface RemoteHandlers {
  tokens(tokens: TokenSet, kind: 'login' | 'refresh' | 'restore'): void;
  signOut(kind: 'logout' | 'expired', reason?: ExpireReason): void;
}

export type CoreSession = SessionCoreApi & {
  readonly context: SessionContext;
  /** Restore the session (storage, other tabs, probe); called once the modules are wired. */
  start(): void;
};

/**
 * The session core: token state, silent refresh, waiting for tokens. `createSession` adds the
 * request client, the cross-tab link, the idle timer and drafts on top of it.
 */
export function createCore(
  options: SessionOptions,
  link: (ctx: SessionContext, remote: RemoteHandlers) => TabLink | null,
): CoreSession {
  const env = resolveEnv(options.env);
  const name = crossTabName(options.crossTab);
  const beforeMs = options.refreshBeforeExpiryMs ?? REFRESH_BEFORE_EXPIRY_MS;
  const queue = queueOptions(options.queue);
  const parseTokens = options.parseTokens ?? parseTokenResponse;
  const events = createEmitter<SessionEventMap>();
  const internal = createEmitter<InternalEvents>();
  const scheduler = createScheduler(env);
  const refresher = createRefresher(options.refresh, env);
  const logoutCall = createLogoutCall(options.logout, env);
  const reportError = (error: SessionError, source: SessionEventMap['error']['source']) =>
    events.emit('error', { error, source });
  // Deferred: a storage failure found while restoring happens before anyone could subscribe.
  const store = createTokenStore(options.storage ?? 'memory', env, `${name}:tokens`, (error) =>
    queueMicrotask(() => reportError(error, 'storage')),
  );
  const state = createSessionState(
    {
      status: 'anonymous',
      tokens: null,
      user: null,
      reason: undefined,
      lastError: undefined,
      idle: null,
      pendingRequests: 0,
      sessionEndsAt: null,
    },
    beforeMs,
  );
  let epoch = 0;
  let destroyed = false;
  let warnedNoUserId = false;
  let ready: Promise<void> = Promise.resolve();
  let lastStamp = 0;
  const stamp = () => {
    lastStamp = Math.max(env.now(), lastStamp + 1);
    return lastStamp;
  };
  const stamped = (tokens: TokenSet): TokenSet => ({ ...tokens, obtainedAt: stamp() });

  const gate = createGate(
    env,
    () => queue.holdTimeoutMs,
    (waiter) => {
      const { lastError, status, reason } = state.get();
      return waiter.kind === 'waiting' && status !== 'expired' && lastError
        ? lastError
        : new SessionExpiredError(status === 'expired' ? (reason ?? 'expired') : 'hold-timeout');
    },
    () => state.set({ pendingRequests: gate.size }),
  );

  const isAuthenticated = () => ['authenticated', 'refreshing'].includes(state.get().status);

  /** Refresh request + parse: runs under the cross-tab lock, so it calls no event handler. */
  const requestTokens = async (signal: AbortSignal): Promise<TokenSet> => {
    const refreshToken = state.get().tokens?.refreshToken;
    const raw = await withTimeout(env, refresher.timeoutMs, signal, (s) =>
      refresher.run({ refreshToken, signal: s }),
    );
    const tokens = stamped(toTokenSet(parseTokens(raw), raw, env.now(), options.userId));
    const previous = state.get().tokens;
    // A refresh response that does not restate the refresh token's expiry keeps the known one.
    return {
      ...tokens,
      startedAt: previous?.startedAt,
      refreshExpiresAt: tokens.refreshExpiresAt ?? previous?.refreshExpiresAt,
    };
  };

  const loop = createRefreshLoop({
    env,
    scheduler,
    perform: (signal) =>
      tabs ? tabs.refresh(state.get().tokens, requestTokens, signal) : requestTokens(signal),
    epoch: () => epoch,
    dueAt: () => {
      const { tokens, sessionEndsAt } = state.get();
      if (!tokens || !isAuthenticated()) return null;
      const at = refreshTime(tokens, beforeMs);
      // A refresh at or after the session's absolute end could not succeed: none is attempted.
      return sessionEndsAt !== null && at >= sessionEndsAt ? null : at;
    },
    hiddenDueAt: () => {
      const { tokens } = state.get();
      // A hidden tab waits for a visible one until half-way between refresh time and expiry.
      return tokens ? (refreshTime(tokens, beforeMs) + tokens.expiresAt) / 2 : null;
    },
    preferVisible: crossTabEnabled(options.crossTab),
    onStart() {
      if (state.get().status === 'authenticated') state.set({ status: 'refreshing' });
    },
    onSuccess(tokens) {
      accept(tokens, 'refresh', false);
    },
    onFailure(error, attempt, willRetry) {
      const { status } = state.get();
      if (status === 'refreshing') state.set({ status: 'authenticated' });
      if (isAuthenticated()) state.set({ lastError: error });
      events.emit('refresh-failed', { error, attempt, willRetry });
      if (!willRetry && isAuthenticated()) expire('refresh-rejected');
    },
  });

  function releaseWaiters(user: SessionUser, tokens: TokenSet, sameSession: boolean) {
    gate.release(
      tokens,
      // Held requests go out only for the user they were made for; never for someone else.
      (waiter: Waiter) =>
        (waiter.kind === 'waiting' && sameSession) ||
        (waiter.userId !== null && waiter.userId === user.id),
      () => new SessionExpiredError('user-changed'),
    );
  }

  /** Take a token set: from a refresh, a login, another tab, a restore or a probe. */
  function accept(tokens: TokenSet, kind: 'login' | 'refresh' | 'restore', remote: boolean) {
    const previous = state.get();
    const user = toUser(tokens);
    if (previous.tokens?.accessToken === tokens.accessToken) {
      // Adopted after it already arrived from another tab: nothing new.
      if (previous.status === 'refreshing')
        state.set({ status: 'authenticated', lastError: undefined });
      releaseWaiters(user, tokens, true);
      return;
    }
    const continues =
      kind === 'refresh' &&
      (previous.status === 'authenticated' || previous.status === 'refreshing') &&
      previous.user?.id === user.id;
    store.save(tokens);
    if (!continues) epoch++;
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
      reportError(
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
      tabs?.setSignedIn(true);
      internal.emit('signed-in', { user, previous: previous.user, restored: kind === 'restore' });
      if (kind !== 'restore') events.emit('login', { user, ...(remote ? { remote } : {}) });
      if (!remote && kind !== 'restore') tabs?.publishTokens(tokens, 'login');
    }
    releaseWaiters(user, tokens, continues);
  }

  function expire(reason: ExpireReason = 'manual', remote = false) {
    if (destroyed || !isAuthenticated()) return;
    epoch++;
    loop.stop();
    store.save(null);
    const { user } = state.get();
    state.set({ status: 'expired', tokens: null, reason });
    gate.holdAll();
    tabs?.setSignedIn(false);
    internal.emit('signed-out', { kind: 'expired', user, reason, remote });
    events.emit('expired', { reason, ...(remote ? { remote } : {}) });
    if (!remote) tabs?.publishSignOut('expired', user?.id ?? null, reason);
  }

  function signOut(remote: boolean): { user: SessionUser | null; tokens: TokenSet | null } {
    const { user, tokens, status } = state.get();
    epoch++;
    loop.stop();
    store.save(null);
    state.set({
      status: 'anonymous',
      tokens: null,
      user: null,
      reason: undefined,
      lastError: undefined,
    });
    gate.rejectAll(new SessionExpiredError('logout'));
    tabs?.setSignedIn(false);
    if (status !== 'anonymous' || user) {
      internal.emit('signed-out', { kind: 'logout', user, remote });
      events.emit('logout', { user, ...(remote ? { remote } : {}) });
    }
    if (!remote) tabs?.publishSignOut('logout', user?.id ?? null);
    return { user, tokens };
  }

  async function logout() {
    if (destroyed) return;
    const { tokens } = signOut(false);
    if (!logoutCall) return;
    try {
      await logoutCall(tokens?.refreshToken);
    } catch (cause) {
      const error =
        cause instanceof SessionError
          ? cause
          : new SessionError('LOGOUT_FAILED', 'Logout request failed', { cause });
      reportError(error, 'logout');
    }
  }

  function destroyedError() {
    return new SessionError('DESTROYED', 'The session was destroyed');
  }

  /** A token for a request, or `null` when signed out; waits for a refresh, holds while expired. */
  async function acquire(signal?: AbortSignal): Promise<TokenSet | null> {
    if (destroyed) throw destroyedError();
    if (state.get().status === 'initializing') await ready;
    signal?.throwIfAborted();
    const { status, tokens, user, reason } = state.get();
    if (destroyed) throw destroyedError();
    if (status === 'anonymous') return null;
    if (status === 'expired') {
      if (queue.whileExpired === 'reject') throw new SessionExpiredError(reason ?? 'expired');
      if (gate.heldCount >= queue.maxSize) throw new QueueFullError(queue.maxSize);
      return gate.wait('held', user?.id ?? null, signal);
    }
    const now = env.now();
    if (tokens && !loop.inFlight && now < tokens.expiresAt) {
      // A validity check at use time: a timer may have fired late (sleep, background tab).
      if (now >= refreshTime(tokens, beforeMs) && !loop.isRetrying) loop.start().catch(() => {});
      else return tokens;
    }
    if (!loop.inFlight && !loop.isRetrying) loop.start().catch(() => {});
    return gate.wait('waiting', user?.id ?? null, signal);
  }

  let tabs: TabLink | null = null;

  const context: SessionContext = {
    env,
    name,
    options,
    state,
    events,
    internal,
    scheduler,
    reschedule: () => loop.schedule(),
    acquire,
    async renewAfter401(accessToken, signal) {
      const { tokens } = state.get();
      if (isAuthenticated() && tokens && tokens.accessToken === accessToken && !loop.inFlight) {
        loop.start().catch(() => {});
      }
      return acquire(signal);
    },
    expire,
    logout,
    stamp,
    observe: (seen) => {
      // Same machine, same clock: a stamp far in the future is bogus and must not skew ours.
      if (seen <= env.now() + 60_000) lastStamp = Math.max(lastStamp, seen);
    },
    isDestroyed: () => destroyed,
  };

  const removeWake = listenWindow(env, WAKE_EVENTS, (event) => {
    if (destroyed) return;
    scheduler.check();
    loop.wake(event.type === 'online');
  });

  const remote: RemoteHandlers = {
    tokens(tokens: TokenSet, kind: 'login' | 'refresh' | 'restore') {
      if (!destroyed) accept(tokens, kind, true);
    },
    signOut(kind: 'logout' | 'expired', reason?: ExpireReason) {
      if (destroyed) return;
      if (kind === 'logout') signOut(true);
      else expire(reason ?? 'manual', true);
    },
  };
  tabs = link(context, remote);

  function start() {
    if (options.restore === false) return;
    const stored = store.load();
    if (stored) return accept(stored, 'restore', false);
    const asked = tabs?.askTabs() ?? null;
    if (!asked && !options.probe) return;
    state.set({ status: 'initializing' });
    ready = (async () => {
      const fromTab = asked ? await asked.catch(() => null) : null;
      if (fromTab) return accept(fromTab, 'restore', false);
      if (options.probe) {
        const tokens = await requestTokens(new AbortController().signal).catch(() => null);
        if (tokens) return accept(tokens, 'restore', false);
      }
      if (state.get().status === 'initializing') state.set({ status: 'anonymous' });
    })();
  }

  return {
    context,
    start,
    async login(raw) {
      if (destroyed) throw destroyedError();
      // Throws TokenResponseError before anything changes.
      const tokens = stamped(toTokenSet(parseTokens(raw), raw, env.now(), options.userId));
      accept({ ...tokens, startedAt: tokens.obtainedAt }, 'login', false);
    },
    logout,
    expire: (reason) => expire(reason ?? 'manual'),
    async refresh() {
      if (destroyed) throw destroyedError();
      const { status } = state.get();
      if (status === 'anonymous' || status === 'initializing') {
        throw new SessionError('NOT_AUTHENTICATED', 'Nobody is signed in');
      }
      if (status === 'expired') throw new SessionExpiredError(state.get().reason ?? 'expired');
      await loop.manual();
    },
    async getAccessToken(opts = {}) {
      const tokens = await acquire(opts.signal);
      if (!tokens) throw new SessionError('NOT_AUTHENTICATED', 'Nobody is signed in');
      return tokens.accessToken;
    },
    getSnapshot: state.snapshot,
    subscribe: state.subscribe,
    on: events.on,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      epoch++;
      loop.stop();
      scheduler.clear();
      removeWake();
      gate.rejectAll(destroyedError());
      tabs?.destroy();
      internal.emit('destroy', {});
      internal.clear();
      events.clear();
      state.clearListeners();
    },
  };
}
