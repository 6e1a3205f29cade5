import type { SessionStateStore } from '../core/state';
import type { ChannelLike, RuntimeEnv } from '../lib/env';
import { RefreshError, SessionError } from '../lib/errors';
import { deadline } from '../refresh/deadline';
import type { TokenSet } from '../tokens/token-set';
import { createGenerationRecord, type Generation, isNewer } from './generation';
import { PROTOCOL_VERSION, readMessage, type TabMessage } from './messages';
import { createOrder } from './order';
import { createPresence } from './presence';
import { createQuestions } from './questions';
import type { Stamps } from './stamps';
import type { PerformRefresh, RemoteHandlers, TabLink } from './types';

/** How long a tab waits for the refresh lock before treating the refresh as a transient failure. */
export const LOCK_TIMEOUT_MS = 20_000;
/** How long a tab whose token was rotated elsewhere waits for the new one to arrive. */
export const ROTATED_WAIT_MS = 1_000;
/** What the link between tabs works with. */
export interface TabLinkDeps {
  env: RuntimeEnv;
  /** The namespace of the channel, the locks and the IndexedDB record. */
  name: string;
  state: SessionStateStore;
  stamps: Stamps;
  /** A channel that cannot be opened or posted to (`CHANNEL_UNAVAILABLE`). */
  reportError(error: SessionError): void;
  /** This tab became the leader: it plans the refresh for all tabs from now on. */
  onLeading(): void;
}

type Outgoing = TabMessage extends infer M
  ? M extends TabMessage
    ? Omit<M, 'v' | 'from'>
    : never
  : never;

const sameGeneration = (a: Generation | null, b: Generation | null) =>
  a?.sessionStamp === b?.sessionStamp && a?.stamp === b?.stamp;

/**
 * One refresh for all tabs and a shared sign-in state. Tabs talk over a BroadcastChannel named
 * after the session; the refresh runs under a Web Lock held only around the refresh request.
 * What a message may change is decided by stamps (see `stamps.ts`), never by its arrival time:
 * a sign-in is taken when it is later than everything this tab knows, a refresh only when it
 * continues the very session this tab holds (so it never changes the user), a sign-out when it
 * is later than the sign-in of the session held. No registry of tabs: a frozen, crashed or
 * closed tab holds nothing (the browser frees its locks).
 */
export function createTabLink(deps: TabLinkDeps, remote: RemoteHandlers): TabLink | null {
  const { env, name, state, stamps } = deps;
  const reportChannelError = (cause: unknown) =>
    deps.reportError(
      new SessionError('CHANNEL_UNAVAILABLE', 'Cannot message other tabs', { cause }),
    );
  let channel: ChannelLike | null = null;
  try {
    channel = env.channel(name);
  } catch (cause) {
    // A sandboxed or opaque-origin document may refuse a channel: each tab then works alone.
    // Reported once the app could have subscribed.
    queueMicrotask(() => reportChannelError(cause));
  }
  const locks = env.locks();
  if (!channel && !locks) return null;
  const tabId = `${env.now().toString(36)}-${Math.floor(env.random() * 2 ** 32).toString(36)}`;
  const record = createGenerationRecord(env, name);
  const presence = createPresence(locks, name, deps.onLeading);

  const post = (message: Outgoing) => {
    try {
      channel?.postMessage({ v: PROTOCOL_VERSION, from: tabId, ...message });
    } catch (cause) {
      reportChannelError(cause);
    }
  };
  const publish = (tokens: TokenSet, kind: 'login' | 'refresh') =>
    post({ type: 'tokens', kind, tokens });

  const order = createOrder(state);
  const { isNewSession, continuesHeld, newerThan } = order;
  const questions = createQuestions({
    env,
    state,
    tabId,
    canAsk: channel !== null,
    post,
    isLeader: () => presence.isLeader(),
    // Taken when the tab is still signed out and the session is newer than what it knows.
    onLateAnswer(tokens) {
      if (state.get().status !== 'initializing' && isNewSession(tokens)) {
        remote.tokens(tokens, 'restore');
      }
    },
  });
  const { ask, waitFor } = questions;

  const onTokens = (tokens: TokenSet, kind: 'login' | 'refresh') => {
    if (kind === 'login') {
      if (isNewSession(tokens)) remote.tokens(tokens, 'login');
    } else if (continuesHeld(tokens)) {
      remote.tokens(tokens, 'refresh');
    }
  };

  const onMessage = (event: { data: unknown }) => {
    const message = readMessage(event.data);
    if (!message || message.from === tabId) return;
    if (message.type === 'tokens') {
      stamps.observe(message.tokens.stamp);
      onTokens(message.tokens, message.kind);
    } else if (message.type === 'signout') {
      const { v, from, type, ...signOut } = message;
      stamps.observe(signOut.stamp);
      if (order.followsSignOut(signOut)) remote.signOut(signOut);
    } else if (message.type === 'ask') {
      questions.onAsk(message.id);
    } else {
      stamps.observe(message.tokens.stamp);
    }
    questions.onMessage(message);
  };
  channel?.addEventListener('message', onMessage);

  /**
   * The record shows a newer token set than `since` whose broadcast has not arrived: `since` was
   * rotated by another tab, or a newer sign-in replaced its session (and its refresh token may
   * have been rotated before that). Never send the old token: wait for the broadcast, then ask.
   * When nobody has the newer token set (the tab that got it closed or crashed before sharing
   * it), or the access token has expired meanwhile, the session cannot go on: a forced
   * re-login. Otherwise a transient failure, retried.
   */
  const adoptNewer = async (since: TokenSet) => {
    const fresher = () => {
      const held = state.get().tokens;
      return held && newerThan(held, since) ? held : null;
    };
    const fresh =
      (await waitFor(ROTATED_WAIT_MS, fresher)) ??
      (await ask((tokens) => newerThan(tokens, since)));
    if (fresh) return fresh;
    if (!(await presence.othersOpen()) || env.now() >= since.expiresAt) {
      throw new RefreshError('rejected', {
        message: 'The refresh token was rotated by another tab and the new one was lost',
      });
    }
    throw new RefreshError('network', {
      message: 'Token rotated by another tab; the new one has not arrived',
    });
  };

  /**
   * Under the lock: adopt what another tab got, or refresh, record and publish before letting
   * go. A result whose session ended meanwhile (the signal aborted) is neither recorded nor
   * published: no other tab may ever see it.
   */
  const refreshLocked = async (
    since: TokenSet | null,
    perform: PerformRefresh,
    signal: AbortSignal,
  ) => {
    const held = state.get().tokens;
    if (since && held && continuesHeld(held, since)) return held;
    const newest = await record.read();
    if (newest) stamps.observe(newest.stamp);
    if (since && newest && isNewer(newest, since)) return adoptNewer(since);
    const tokens = await perform(signal);
    signal.throwIfAborted();
    await record.write(tokens);
    signal.throwIfAborted();
    publish(tokens, 'refresh');
    return tokens;
  };

  return {
    async refresh(perform, signal) {
      const since = state.get().tokens;
      if (!locks) {
        const tokens = await perform(signal);
        signal.throwIfAborted();
        publish(tokens, 'refresh');
        return tokens;
      }
      // A wait that times out is a transient failure (retried with backoff), never a refresh
      // without the lock: the holder may be slow rather than stuck, its request still in flight.
      const lock = deadline(env, LOCK_TIMEOUT_MS, signal, 'Refresh lock timed out');
      try {
        return await locks.request(`${name}:refresh`, { signal: lock.signal }, () => {
          lock.done(); // the timeout is for the wait: the refresh itself has its own
          return refreshLocked(since, perform, signal);
        });
      } finally {
        lock.done();
      }
    },
    async probe(perform, signal) {
      if (!locks) return perform(signal);
      const before = await record.read();
      return locks.request(`${name}:refresh`, { signal }, async () => {
        // Another tab refreshed (its probe) or signed in while this one waited for the lock:
        // take its session rather than send the cookie it has just rotated.
        if (!sameGeneration(await record.read(), before) || (await presence.othersOpen())) {
          return ask(isNewSession);
        }
        const tokens = await perform(signal);
        signal.throwIfAborted();
        await record.write(tokens);
        return tokens;
      });
    },
    publishLogin(tokens) {
      void record.write(tokens);
      publish(tokens, 'login');
    },
    publishSignOut(signOut) {
      post({ type: 'signout', ...signOut });
    },
    setSignedIn: presence.set,
    askTabs() {
      if (!channel) return null;
      if (!locks) {
        // Nothing tells whether another tab is open: start signed out (or in the forced re-login
        // kept from before), sign in if one answers.
        void ask(isNewSession).then((tokens) => {
          if (tokens && !state.signedIn() && isNewSession(tokens)) remote.tokens(tokens, 'restore');
        });
        return null;
      }
      // The question goes out first; meanwhile the browser says whether anyone could answer.
      return ask(isNewSession, async () => !(await presence.othersOpen()));
    },
    isLeader: presence.isLeader,
    destroy() {
      channel?.removeEventListener('message', onMessage);
      channel?.close();
      presence.set(false);
      record.close();
      questions.clear();
    },
  };
}
