import type { KyInstance } from 'ky';
import { createHttpClient } from '../http/client';
import { createSessionFetch } from '../http/session-fetch';
import { createEmitter } from '../lib/emitter';
import { listenWindow, resolveEnv } from '../lib/env';
import { destroyedError, SessionError, SessionExpiredError } from '../lib/errors';
import { DEFAULT_NAME } from '../lib/names';
import { guardStorage } from '../lib/safe-storage';
import { createScheduler } from '../lib/scheduler';
import { createRequestQueue } from '../queue/request-queue';
import { createLogoutCall, createRefresher } from '../refresh/endpoints';
import { createRefreshLoop } from '../refresh/refresh-loop';
import { createStamps } from '../tabs/stamps';
import { createTabLink } from '../tabs/tab-link';
import type { TabLink } from '../tabs/types';
import { createTokenStore } from '../tokens/token-store';
import { createExpiryRecord } from './expiry-record';
import { createSessionLifetime } from './lifetime';
import {
  connectModules,
  type RequestSigner,
  type SessionPort,
  type SessionSignals,
} from './modules';
import { checkOptions, REFRESH_BEFORE_EXPIRY_MS } from './options';
import { startSession } from './start';
import { createSessionState } from './state';
import { createTokenSource } from './token-source';
import { createTransitions } from './transitions';
import type { ErrorSource, Session, SessionEventMap, SessionOptions } from './types';

const WAKE_EVENTS = ['visibilitychange', 'focus', 'online', 'pageshow'] as const;

const notSignedIn = () => new SessionError('NOT_AUTHENTICATED', 'Nobody is signed in');

/**
 * Create a session.
 * @throws RangeError for a nonsensical numeric option; TypeError for an `idle`, `drafts` or
 *   `dpop` option that was not made by `createIdleTimer()` / `createDraftStore()` / `createDpop()`.
 * @example
 * const session = createSession({ refresh: '/auth/refresh', http: { prefix: '/api' } });
 * await session.login(await (await fetch('/auth/login', { method: 'POST', body })).json());
 * const me = await session.http.get('me').json();
 */
export function createSession(options: SessionOptions): Session {
  checkOptions(options);
  const env = resolveEnv(options.env);
  const crossTab = options.crossTab !== false;
  const name = (typeof options.crossTab === 'object' && options.crossTab.name) || DEFAULT_NAME;
  const events = createEmitter<SessionEventMap>();
  const signals = createEmitter<SessionSignals>();
  const state = createSessionState(options.refreshBeforeExpiryMs ?? REFRESH_BEFORE_EXPIRY_MS);
  const scheduler = createScheduler(env);
  const reportError = (error: SessionError, source: ErrorSource) =>
    events.emit('error', { error, source });
  // Deferred: a storage failure found while restoring happens before anyone could subscribe.
  const store = createTokenStore(options.storage ?? 'memory', env, `${name}:tokens`, (error) =>
    queueMicrotask(() => reportError(error, 'storage')),
  );
  // What tabs and reloads share besides tokens: the last stamp and a forced re-login. Kept per
  // tab (sessionStorage survives a reload) without cross-tab sharing. Without storage they are
  // kept in memory only: not an error, nothing the user did is lost.
  const shared = guardStorage(env, crossTab ? 'local' : 'session', 'Session', () => {});
  const stamps = createStamps(env, crossTab ? shared : null, `${name}:stamp`);
  const expiries = createExpiryRecord(shared, `${name}:expired`);
  // Set by a module (`sessionkeeper/dpop`) when it connects: it signs the session's requests.
  let signer: RequestSigner | null = null;
  const currentSigner = () => signer;
  const source = createTokenSource({
    env,
    options,
    refresher: createRefresher(options.refresh, env, currentSigner),
    stamps,
    held: () => state.get().tokens,
    signer: currentSigner,
    reportTokenType: (error) => reportError(error, 'dpop'),
  });
  const logoutCall = createLogoutCall(
    options.logout,
    env,
    (error) => reportError(error, 'logout'),
    currentSigner,
  );
  let destroyed = false;
  let http: KyInstance | undefined;
  const isDestroyed = () => destroyed;
  let tabs: TabLink | null = null;
  let ready: Promise<void> = Promise.resolve();
  const starting = new AbortController();

  const loop = createRefreshLoop({
    env,
    scheduler,
    state,
    crossTab,
    perform: (signal) => (tabs ? tabs.refresh(source.refresh, signal) : source.refresh(signal)),
    onStart: () => transitions.refreshStarted(),
    onSuccess: (tokens) => transitions.accept(tokens, 'refresh', false),
    onFailure: (error, attempt, willRetry) => transitions.refreshFailed(error, attempt, willRetry),
    isLeader: () => tabs?.isLeader() ?? true,
    isDestroyed,
  });
  const queue = createRequestQueue({
    env,
    state,
    loop,
    queue: options.queue,
    ready: () => ready,
    isDestroyed,
  });
  const transitions = createTransitions({
    state,
    events,
    signals,
    store,
    expiries,
    loop,
    queue,
    stamps,
    tabs: () => tabs,
    isDestroyed,
  });
  const { accept, expire, signOut } = transitions;

  const logout = async () => {
    if (destroyed) return;
    const tokens = signOut();
    // Best effort: it reports its failures itself and never throws.
    await logoutCall?.(tokens);
  };

  const port: SessionPort = {
    env: options.env,
    name,
    crossTab,
    on: signals.on,
    onEvent: events.on,
    emit: events.emit,
    expire,
    logout,
    setIdle: (idle) => state.set({ idle }),
    setRequestSigner(next) {
      signer = next;
    },
  };
  // Before the tab link: a module that refuses to connect (a TypeError) leaves nothing open.
  const { idle, drafts, dpop } = connectModules(options, port);

  if (crossTab) {
    tabs = createTabLink(
      {
        env,
        name,
        state,
        stamps,
        reportError: (error) => reportError(error, 'channel'),
        onLeading: () => loop.schedule(),
      },
      {
        tokens(tokens, kind) {
          if (!destroyed) accept(tokens, kind, true);
        },
        signOut(message) {
          if (destroyed) return;
          if (message.kind === 'logout') signOut(message.stamp);
          else transitions.remoteExpire(message);
        },
      },
    );
  }

  const fetch = createSessionFetch({
    env,
    options,
    queue,
    heldToken: () => state.get().tokens?.accessToken,
    signer: currentSigner,
    expire,
    on: signals.on,
    isDestroyed,
  });
  const sessionEnding = createSessionLifetime({
    env,
    name,
    options,
    state,
    scheduler,
    events,
    signals,
    reschedule: () => loop.schedule(),
    expire,
  });
  const removeWake = listenWindow(env, WAKE_EVENTS, (event) => {
    if (destroyed) return;
    scheduler.check();
    loop.wake(event.type === 'online');
  });

  ready = startSession({
    env,
    scheduler,
    options,
    state,
    store,
    expiries,
    stamps,
    tabs,
    transitions,
    probe: () =>
      tabs ? tabs.probe(source.refresh, starting.signal) : source.refresh(starting.signal),
    isDestroyed,
  });

  return {
    async login(raw) {
      if (destroyed) throw destroyedError();
      // Refused before anything changes: a token type the session cannot send (DPOP_TOKEN_TYPE),
      // a TokenResponseError.
      accept(source.fromLogin(raw), 'login', false);
    },
    logout,
    expire: (reason) => expire(reason ?? 'manual'),
    async refresh() {
      if (destroyed) throw destroyedError();
      const { status, reason } = state.get();
      if (status === 'expired') throw new SessionExpiredError(reason ?? 'expired');
      if (!state.signedIn()) throw notSignedIn();
      await loop.manual();
    },
    getIdToken: () => state.get().tokens?.idToken ?? null,
    async getAccessToken(opts = {}) {
      const tokens = await queue.acquire(opts.signal);
      if (!tokens) throw notSignedIn();
      return tokens.accessToken;
    },
    getSnapshot: state.snapshot,
    subscribe: state.subscribe,
    on: events.on,
    get http() {
      // Made at first use: a page that only uses `session.fetch` never builds a ky instance.
      http ??= createHttpClient(fetch, options.http);
      return http;
    },
    fetch,
    idle,
    drafts,
    dpop,
    sessionEnding,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      starting.abort(destroyedError());
      loop.stop();
      scheduler.clear();
      removeWake();
      queue.rejectAll(destroyedError());
      tabs?.destroy();
      signals.emit('destroy', {});
      signals.clear();
      events.clear();
      state.clearListeners();
    },
  };
}
