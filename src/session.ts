import { createEmitter } from './emitter';
import { listenWindow, resolveEnv } from './env';
import { SessionError, SessionExpiredError } from './errors';
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
import { createSessionState, refreshTime } from './session-state';
import { createTransitions } from './session-transitions';
import { createTokenAccess, destroyedError } from './token-access';
import { createTokenStore } from './token-store';
import { parseTokenResponse, type TokenSet, toTokenSet } from './tokens';
import type { ExpireReason, SessionCoreApi, SessionEventMap, SessionOptions } from './types';

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
  let ready: Promise<void> = Promise.resolve();
  let lastStamp = 0;
  const stamp = () => {
    lastStamp = Math.max(env.now(), lastStamp + 1);
    return lastStamp;
  };
  const stamped = (tokens: TokenSet): TokenSet => ({ ...tokens, obtainedAt: stamp() });

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

  const access = createTokenAccess({
    env,
    state,
    queue,
    beforeMs,
    loop,
    ready: () => ready,
    isDestroyed: () => destroyed,
  });

  const { accept, expire, signOut } = createTransitions({
    state,
    store,
    loop,
    access,
    events,
    internal,
    tabs: () => tabs,
    bumpEpoch: () => epoch++,
    isDestroyed: () => destroyed,
    reportError,
  });

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
    acquire: access.acquire,
    renewAfter401: access.renewAfter401,
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
    // A login (here or in another tab) while this runs wins over what it finds.
    const stillStarting = () => state.get().status === 'initializing' && !destroyed;
    ready = (async () => {
      const fromTab = asked ? await asked.catch(() => null) : null;
      if (fromTab && stillStarting()) return accept(fromTab, 'restore', false);
      if (options.probe && stillStarting()) {
        const tokens = await requestTokens(new AbortController().signal).catch(() => null);
        if (tokens && stillStarting()) return accept(tokens, 'restore', false);
      }
      if (stillStarting()) state.set({ status: 'anonymous' });
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
      const tokens = await access.acquire(opts.signal);
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
      access.rejectAll(destroyedError());
      tabs?.destroy();
      internal.emit('destroy', {});
      internal.clear();
      events.clear();
      state.clearListeners();
    },
  };
}
