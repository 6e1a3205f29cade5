import { createEmitter } from './emitter';
import { listenWindow, resolveEnv } from './env';
import { SessionError, SessionExpiredError } from './errors';
import { createRefreshLoop } from './refresh-loop';
import { createLogoutCall, createRefresher } from './refresh-request';
import { createScheduler } from './scheduler';
import type { InternalEvents, SessionContext } from './session-context';
import { DEFAULT_NAME, REFRESH_BEFORE_EXPIRY_MS } from './session-options';
import { createSessionState } from './session-state';
import { createTransitions } from './session-transitions';
import { createTokenAccess, destroyedError } from './token-access';
import { createTokenStore } from './token-store';
import { parseTokenResponse, type TokenSet, toTokenSet } from './tokens';
import type { ExpireReason, SessionCoreApi, SessionEventMap, SessionOptions } from './types';

const WAKE_EVENTS = ['visibilitychange', 'focus', 'online', 'pageshow'] as const;

/** What the cross-tab link (or its absence) does for the core. */
export interface TabLink {
  /**
   * Refresh under the cross-tab lock, or adopt a token set fresher than the one held now that
   * another tab already got.
   */
  refresh(
    perform: (signal: AbortSignal) => Promise<TokenSet>,
    signal: AbortSignal,
  ): Promise<TokenSet>;
  /** A login in this tab: the other tabs sign in too. */
  publishLogin(tokens: TokenSet): void;
  publishSignOut(kind: 'logout' | 'expired', reason?: ExpireReason): void;
  /** Whether this tab holds a signed-in session (other tabs may ask it for the tokens). */
  setSignedIn(signedIn: boolean): void;
  /** Ask the open tabs for the session: `null` at once when no other tab is known to be open. */
  askTabs(): Promise<TokenSet | null> | null;
  /**
   * The start-up probe (cookie mode) under the refresh lock: tabs opened together (a restored
   * browser window) must not all send the same rotating cookie. `null`: another tab probed or
   * signed in meanwhile and did not share its session in time.
   */
  probe(
    perform: (signal: AbortSignal) => Promise<TokenSet>,
    signal: AbortSignal,
  ): Promise<TokenSet | null>;
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

const notSignedIn = () => new SessionError('NOT_AUTHENTICATED', 'Nobody is signed in');

/**
 * The session core: token state, silent refresh, waiting for tokens. `createSession` adds the
 * request client, the cross-tab link, the idle timer and drafts on top of it.
 */
export function createCore(
  options: SessionOptions,
  link: (ctx: SessionContext, remote: RemoteHandlers) => TabLink | null,
): CoreSession {
  const env = resolveEnv(options.env);
  const name = (typeof options.crossTab === 'object' && options.crossTab.name) || DEFAULT_NAME;
  const parseTokens = options.parseTokens ?? parseTokenResponse;
  const events = createEmitter<SessionEventMap>();
  const internal = createEmitter<InternalEvents>();
  const state = createSessionState(options.refreshBeforeExpiryMs ?? REFRESH_BEFORE_EXPIRY_MS);
  const refresher = createRefresher(options.refresh, env);
  const logoutCall = createLogoutCall(options.logout, env);
  const reportError = (error: SessionError, source: SessionEventMap['error']['source']) =>
    events.emit('error', { error, source });
  // Deferred: a storage failure found while restoring happens before anyone could subscribe.
  const store = createTokenStore(options.storage ?? 'memory', env, `${name}:tokens`, (error) =>
    queueMicrotask(() => reportError(error, 'storage')),
  );
  let ready: Promise<void> = Promise.resolve();
  const starting = new AbortController();
  let lastStamp = 0;
  let tabs: TabLink | null = null;

  const stamp = () => {
    lastStamp = Math.max(env.now(), lastStamp + 1);
    return lastStamp;
  };
  /** A token set from a raw token response; throws TokenResponseError. */
  const toTokens = (raw: unknown): TokenSet => ({
    ...toTokenSet(parseTokens(raw), raw, env.now(), options.userId),
    obtainedAt: stamp(),
  });

  /** Refresh request + parse: runs under the cross-tab lock, so it calls no event handler. */
  const requestTokens = async (signal: AbortSignal): Promise<TokenSet> => {
    const raw = await refresher(state.get().tokens?.refreshToken, signal);
    const tokens = toTokens(raw);
    const previous = state.get().tokens;
    // A refresh response that does not restate the refresh token's expiry keeps the known one.
    return {
      ...tokens,
      startedAt: previous?.startedAt,
      refreshExpiresAt: tokens.refreshExpiresAt ?? previous?.refreshExpiresAt,
    };
  };

  const logout = async () => {
    if (ctx.destroyed) return;
    const tokens = signOut(false);
    if (!logoutCall) return;
    try {
      await logoutCall(tokens?.refreshToken);
    } catch (cause) {
      const error =
        cause instanceof SessionError
          ? cause
          : new SessionError('LOGOUT_FAILED', 'Logout failed', { cause });
      reportError(error, 'logout');
    }
  };

  const ctx: SessionContext = {
    env,
    name,
    options,
    state,
    events,
    internal,
    scheduler: createScheduler(env),
    destroyed: false,
    reschedule: () => loop.schedule(),
    acquire: (signal) => access.acquire(signal),
    renewAfter401: (accessToken, signal) => access.renewAfter401(accessToken, signal),
    expire: (reason) => expire(reason),
    logout,
    stamp,
    observe: (seen) => {
      // Same machine, same clock: a stamp far in the future is bogus and must not skew ours.
      if (seen <= env.now() + 60_000) lastStamp = Math.max(lastStamp, seen);
    },
  };
  const loop = createRefreshLoop(
    ctx,
    (signal) => (tabs ? tabs.refresh(requestTokens, signal) : requestTokens(signal)),
    (tokens) => accept(tokens, 'refresh', false),
  );
  const access = createTokenAccess(ctx, loop, () => ready);
  const { accept, expire, signOut } = createTransitions(ctx, store, loop, access, () => tabs);

  const removeWake = listenWindow(env, WAKE_EVENTS, (event) => {
    if (ctx.destroyed) return;
    ctx.scheduler.check();
    loop.wake(event.type === 'online');
  });

  tabs = link(ctx, {
    tokens(tokens, kind) {
      if (!ctx.destroyed) accept(tokens, kind, true);
    },
    signOut(kind, reason) {
      if (ctx.destroyed) return;
      if (kind === 'logout') signOut(true);
      else expire(reason ?? 'manual', true);
    },
  });

  const start = () => {
    if (options.restore === false) return;
    const stored = store.load();
    if (stored) return accept(stored, 'restore', false);
    const asked = tabs?.askTabs() ?? null;
    if (!asked && !options.probe) return;
    state.set({ status: 'initializing' });
    // A login (here or in another tab) while this runs wins over what it finds.
    const stillStarting = () => state.get().status === 'initializing' && !ctx.destroyed;
    ready = (async () => {
      const tokens =
        (asked ? await asked.catch(() => null) : null) ??
        (options.probe && stillStarting()
          ? await (tabs
              ? tabs.probe(requestTokens, starting.signal)
              : requestTokens(starting.signal)
            ).catch(() => null)
          : null);
      if (!stillStarting()) return;
      if (tokens) accept(tokens, 'restore', false);
      else state.set({ status: 'anonymous' });
    })();
  };

  return {
    context: ctx,
    start,
    async login(raw) {
      if (ctx.destroyed) throw destroyedError();
      // Throws TokenResponseError before anything changes.
      const tokens = toTokens(raw);
      accept({ ...tokens, startedAt: tokens.obtainedAt }, 'login', false);
    },
    logout,
    expire: (reason) => expire(reason ?? 'manual'),
    async refresh() {
      if (ctx.destroyed) throw destroyedError();
      const { status, reason } = state.get();
      if (status === 'expired') throw new SessionExpiredError(reason ?? 'expired');
      if (!state.signedIn()) throw notSignedIn();
      await loop.manual();
    },
    async getAccessToken(opts = {}) {
      const tokens = await access.acquire(opts.signal);
      if (!tokens) throw notSignedIn();
      return tokens.accessToken;
    },
    getSnapshot: state.snapshot,
    subscribe: state.subscribe,
    on: events.on,
    destroy() {
      if (ctx.destroyed) return;
      ctx.destroyed = true;
      starting.abort(destroyedError());
      loop.stop();
      ctx.scheduler.clear();
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
