import { RefreshError, SessionError } from '../errors';
import { deadline } from '../refresh-request';
import type { RemoteHandlers, TabLink } from '../session';
import type { SessionContext } from '../session-context';
import { INIT_TIMEOUT_MS } from '../session-options';
import type { TokenSet } from '../tokens';
import { createGenerationRecord } from './generation';
import { messageSchema, PROTOCOL_VERSION, type TabMessage } from './messages';
import { createPresence } from './presence';

/** How long a tab waits for the refresh lock before treating the refresh as a transient failure. */
export const LOCK_TIMEOUT_MS = 20_000;
/** How long a tab whose token was rotated elsewhere waits for the new one to arrive. */
export const ROTATED_WAIT_MS = 1_000;

type Outgoing = TabMessage extends infer M
  ? M extends TabMessage
    ? Omit<M, 'v' | 'from'>
    : never
  : never;

/**
 * One refresh for all tabs and a shared sign-in state. Tabs talk over a BroadcastChannel named
 * after the session; the refresh runs under a Web Lock held only around the refresh request; a
 * tab accepts only token sets fresher than its own and sign-outs newer than its tokens. No
 * registry of tabs: a frozen, crashed or closed tab holds nothing (the browser frees its locks).
 */
export function createTabLink(ctx: SessionContext, remote: RemoteHandlers): TabLink | null {
  const { env, name, state } = ctx;
  const channel = env.channel(name);
  const locks = env.locks();
  if (!channel && !locks) return null;
  const tabId = `${env.now().toString(36)}-${Math.floor(env.random() * 2 ** 32).toString(36)}`;
  const record = createGenerationRecord(env, name);
  const presence = createPresence(locks, `${name}:presence`);
  let signedOutAt = 0;
  let asked = 0;
  /** Waits for tokens from other tabs, told of every token set and answer that arrives. */
  const watchers = new Set<(message?: TabMessage) => void>();

  const post = (message: Outgoing) => {
    try {
      channel?.postMessage({ v: PROTOCOL_VERSION, from: tabId, ...message });
    } catch (cause) {
      ctx.events.emit('error', {
        error: new SessionError('CHANNEL_UNAVAILABLE', 'Cannot message other tabs', { cause }),
        source: 'channel',
      });
    }
  };
  const publish = (tokens: TokenSet, kind: 'login' | 'refresh') =>
    post({ type: 'tokens', kind, tokens });
  const heldAt = () => state.get().tokens?.obtainedAt ?? 0;

  const onMessage = (event: { data: unknown }) => {
    const message = messageSchema.safeParse(event.data).data;
    if (!message || message.from === tabId) return;
    if (message.type === 'signout') ctx.observe(message.at);
    else if ('tokens' in message) ctx.observe(message.tokens.obtainedAt);
    switch (message.type) {
      case 'tokens': {
        const { tokens, kind } = message;
        // A refresh elsewhere continues a session this tab has; it never starts one here.
        if (tokens.obtainedAt <= Math.max(signedOutAt, heldAt())) return;
        if (kind === 'refresh' && !state.signedIn()) return;
        remote.tokens(tokens, kind);
        break;
      }
      case 'signout':
        if (message.at < heldAt()) return; // older than the tokens held: stale
        signedOutAt = Math.max(signedOutAt, message.at);
        return remote.signOut(message.kind, message.reason);
      case 'ask': {
        const { tokens } = state.get();
        if (state.signedIn() && tokens) post({ type: 'answer', id: message.id, tokens });
        return;
      }
    }
    for (const watch of [...watchers]) watch(message);
  };
  channel?.addEventListener('message', onMessage);

  /** Wait up to `ms` for `find` to find a token set: now, and on every token set or answer. */
  const waitFor = (ms: number, find: (message?: TabMessage) => TokenSet | null | undefined) =>
    new Promise<TokenSet | null>((resolve) => {
      const done = (tokens: TokenSet | null) => {
        env.clearTimeout(timer);
        watchers.delete(watch);
        resolve(tokens);
      };
      const watch = (message?: TabMessage) => {
        const tokens = find(message);
        if (tokens) done(tokens);
      };
      const timer = env.setTimeout(() => done(null), ms);
      watchers.add(watch);
      watch();
    });

  /** Ask the open tabs for the session: the first answer fresher than the last sign-out. */
  const ask = () => {
    if (!channel) return Promise.resolve(null);
    const id = `${tabId}:${asked++}`;
    const answer = waitFor(INIT_TIMEOUT_MS, (message) =>
      message?.type === 'answer' && message.id === id && message.tokens.obtainedAt > signedOutAt
        ? message.tokens
        : null,
    );
    post({ type: 'ask', id });
    return answer;
  };

  /** Under the lock: adopt what another tab got, or refresh and publish before letting go. */
  const refreshLocked = async (
    since: number,
    perform: (signal: AbortSignal) => Promise<TokenSet>,
    signal: AbortSignal,
  ) => {
    const fresher = () => (heldAt() > since ? state.get().tokens : null);
    const mine = fresher();
    if (mine) return mine;
    const generation = await record.read();
    if (generation !== null && generation > since) {
      // Rotated by another tab whose broadcast has not arrived yet: never send the old token.
      const fresh = (await waitFor(ROTATED_WAIT_MS, fresher)) ?? (await ask());
      if (fresh && fresh.obtainedAt > since) return fresh;
      throw new RefreshError('network', {
        message: 'Token rotated by another tab; the new one has not arrived',
      });
    }
    const stamped = await performRecorded(perform, signal, generation);
    publish(stamped, 'refresh');
    return stamped;
  };

  /** Refresh, then record the new generation (ordered after `generation`) for the other tabs. */
  const performRecorded = async (
    perform: (signal: AbortSignal) => Promise<TokenSet>,
    signal: AbortSignal,
    generation: number | null,
  ) => {
    const tokens = await perform(signal);
    // Order token sets strictly, whatever the clock resolution.
    if (generation !== null) ctx.observe(generation);
    const stamped = { ...tokens, obtainedAt: Math.max(tokens.obtainedAt, ctx.stamp()) };
    await record.write(stamped.obtainedAt);
    return stamped;
  };

  return {
    async refresh(perform, signal) {
      const since = heldAt();
      if (!locks) {
        const tokens = await perform(signal);
        publish(tokens, 'refresh');
        return tokens;
      }
      const lock = deadline(env, LOCK_TIMEOUT_MS, signal, 'Refresh lock timed out');
      try {
        return await locks.request(`${name}:refresh`, { signal: lock.signal }, () =>
          refreshLocked(since, perform, signal),
        );
      } catch (error) {
        if (signal.aborted || !lock.signal.aborted) throw error;
        // The lock holder is stuck (a frozen tab mid-refresh). Go ahead only if the record shows
        // our token is still the newest; otherwise it was rotated and must not be sent.
        const generation = await record.read();
        if (generation !== null && generation <= since)
          return refreshLocked(since, perform, signal);
        throw error;
      } finally {
        lock.done();
      }
    },
    async probe(perform, signal) {
      if (!locks) return perform(signal);
      const before = await record.read();
      return locks.request(`${name}:refresh`, { signal }, async () => {
        const generation = await record.read();
        // Another tab refreshed (its probe) or signed in while this one waited for the lock:
        // take its session rather than send the cookie it has just rotated.
        if (generation !== before || (await presence.othersOpen())) return ask();
        return performRecorded(perform, signal, generation);
      });
    },
    publishLogin(tokens) {
      void record.write(tokens.obtainedAt);
      publish(tokens, 'login');
    },
    publishSignOut(kind, reason) {
      signedOutAt = ctx.stamp();
      post({ type: 'signout', kind, at: signedOutAt, reason });
    },
    setSignedIn: presence.set,
    askTabs() {
      if (!channel) return null;
      if (!locks) {
        // Nothing tells whether another tab is open: start signed out, sign in if one answers.
        void ask().then(
          (tokens) =>
            tokens && state.get().status === 'anonymous' && remote.tokens(tokens, 'restore'),
        );
        return null;
      }
      return presence.othersOpen().then((open) => (open ? ask() : null));
    },
    destroy() {
      channel?.removeEventListener('message', onMessage);
      channel?.close();
      presence.set(false);
      record.close();
      watchers.clear();
    },
  };
}
