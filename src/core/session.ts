import { createEmitter } from '../lib/emitter';
import { listenWindow, resolveEnv } from '../lib/env';
import { SessionError, SessionExpiredError } from '../lib/errors';
import { createExpiryRecord, type Expiry } from './expiry-record';
import { createRefreshLoop } from '../refresh/refresh-loop';
import { createLogoutCall, createRefresher } from '../refresh/endpoints';
import { guardStorage } from '../lib/safe-storage';
import { createScheduler } from '../lib/scheduler';
import type { InternalEvents, SessionContext } from './context';
import { checkOptions, DEFAULT_NAME, REFRESH_BEFORE_EXPIRY_MS } from './options';
import { createSessionState } from './state';
import { createTransitions } from './transitions';
import { createStamps } from '../tabs/stamps';
import { createTokenAccess, destroyedError } from '../queue/request-queue';
import { createTokenStore } from '../tokens/token-store';
import { type ParsedTokens, parseTokenResponse, type TokenSet, toTokenSet } from '../tokens/token-set';
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
  /** A sign-out in this tab, made at `stamp`: the other tabs sign out too. */
  publishSignOut(kind: 'logout' | 'expired', stamp: number, reason?: ExpireReason): void;
  /** Whether this tab holds a signed-in session (other tabs may ask it for the tokens). */
  setSignedIn(signedIn: boolean): void;
  /**
   * Ask the open tabs for a session begun after the last sign-out this tab knows of: `null` at
   * once when no other tab is known to be open.
   */
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
  /** Another tab signed out at `stamp`. */
  signOut(kind: 'logout' | 'expired', stamp: number, reason?: ExpireReason): void;
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
  checkOptions(options);
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
  // What tabs and reloads share besides tokens: the last stamp and a forced re-login. Kept per
  // tab (sessionStorage survives a reload) without cross-tab sharing. Without storage they are
  // kept in memory only: not an error, nothing the user did is lost.
  const shared = guardStorage(
    env,
    options.crossTab === false ? 'session' : 'local',
    'Session',
    () => {},
  );
  const stamps = createStamps(env, options.crossTab === false ? null : shared, `${name}:stamp`);
  const expiries = createExpiryRecord(shared, `${name}:expired`);
  let ready: Promise<void> = Promise.resolve();
  const starting = new AbortController();
  let tabs: TabLink | null = null;

  /** A token response, parsed; `renews`: the token set a refresh renews. Throws TokenResponseError. */
  const toTokens = (raw: unknown, renews?: TokenSet | null): ParsedTokens =>
    toTokenSet(parseTokens(raw), raw, env.now(), options.userId, renews);

  /**
   * Refresh request + parse: runs under the cross-tab lock, so it calls no event handler. The
   * new token set continues the session of the one it renews (none for a start-up probe: then it
   * begins one).
   */
  const requestTokens = async (signal: AbortSignal): Promise<TokenSet> => {
    const renews = state.get().tokens;
    const raw = await refresher(renews?.refreshToken, signal);
    const tokens = toTokens(raw, renews);
    const stamp = stamps.next();
    return {
      ...tokens,
      stamp,
      sessionStamp: renews?.sessionStamp ?? stamp,
      startedAt: renews?.startedAt,
      // A refresh response that does not restate the refresh token's expiry keeps the known one.
      refreshExpiresAt: tokens.refreshExpiresAt ?? renews?.refreshExpiresAt,
    };
  };

  const logout = async () => {
    if (ctx.destroyed) return;
    const tokens = signOut();
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
    stamp: stamps.next,
    observe: stamps.observe,
  };
  const loop = createRefreshLoop(
    ctx,
    (signal) => (tabs ? tabs.refresh(requestTokens, signal) : requestTokens(signal)),
    (tokens) => accept(tokens, 'refresh', false),
  );
  const access = createTokenAccess(ctx, loop, () => ready);
  const { accept, expire, signOut, restoreExpiry } = createTransitions(
    ctx,
    store,
    expiries,
    loop,
    access,
    () => tabs,
  );

  const removeWake = listenWindow(env, WAKE_EVENTS, (event) => {
    if (ctx.destroyed) return;
    ctx.scheduler.check();
    loop.wake(event.type === 'online');
  });

  tabs = link(ctx, {
    tokens(tokens, kind) {
      if (!ctx.destroyed) accept(tokens, kind, true);
    },
    signOut(kind, stamp, reason) {
      if (ctx.destroyed) return;
      if (kind === 'logout') signOut(stamp);
      else expire(reason ?? 'manual', stamp);
    },
  });

  /** A login (here or in another tab) while the session starts wins over what the start finds. */
  const stillStarting = () => state.get().status === 'initializing' && !ctx.destroyed;

  /** The start-up probe (cookie mode): one silent refresh, under the cross-tab lock. */
  const probe = () =>
    tabs ? tabs.probe(requestTokens, starting.signal) : requestTokens(starting.signal);

  /** The asynchronous part of the start: the open tabs' answer, else the probe. */
  const finishStart = async (
    asked: Promise<TokenSet | null> | null,
    probing: boolean,
    expiry: Expiry | null,
  ) => {
    let tokens = asked ? await asked.catch(() => null) : null;
    if (!tokens && probing && stillStarting()) tokens = await probe().catch(() => null);
    if (!stillStarting()) return;
    if (tokens) accept(tokens, 'restore', false);
    else if (expiry) restoreExpiry(expiry);
    else state.set({ status: 'anonymous' });
  };

  /**
   * Restore the session: from token storage, else from an open tab, else by the probe. A forced
   * re-login kept from before (a reload, a new tab) holds instead: the page starts `expired`,
   * unless someone signed in after it (in storage or in an open tab). No probe undoes it.
   */
  const start = () => {
    if (options.restore === false) return;
    const expiry = expiries.read();
    const stored = store.load();
    if (expiry) stamps.observe(expiry.stamp);
    if (stored) stamps.observe(stored.stamp);
    if (stored && (!expiry || stored.sessionStamp > expiry.stamp)) {
      accept(stored, 'restore', false);
      return;
    }
    // Only a session begun after the forced re-login may be taken from another tab.
    if (expiry) state.set({ signedOutStamp: expiry.stamp });
    const asked = tabs?.askTabs() ?? null;
    const probing = options.probe === true && !expiry;
    if (!asked && !probing) {
      if (expiry) restoreExpiry(expiry);
      return;
    }
    state.set({ status: 'initializing' });
    ready = finishStart(asked, probing, expiry);
  };

  return {
    context: ctx,
    start,
    async login(raw) {
      if (ctx.destroyed) throw destroyedError();
      // Throws TokenResponseError before anything changes.
      const tokens = toTokens(raw);
      const stamp = stamps.next();
      accept(
        { ...tokens, stamp, sessionStamp: stamp, startedAt: tokens.obtainedAt },
        'login',
        false,
      );
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
