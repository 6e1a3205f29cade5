import { RefreshError, SessionError } from '../errors';
import type { RemoteHandlers, TabLink } from '../session';
import type { SessionContext } from '../session-context';
import { INIT_TIMEOUT_MS } from '../session-options';
import type { TokenSet } from '../tokens';
import { createGenerationRecord } from './generation';
import { PROTOCOL_VERSION, readMessage, type TabMessage, tokenPayload } from './messages';
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
  const { env, name } = ctx;
  const channel = env.channel(name);
  const locks = env.locks();
  if (!channel && !locks) return null;
  const tabId = `${env.now().toString(36)}-${Math.floor(env.random() * 2 ** 32).toString(36)}`;
  const record = createGenerationRecord(env, name);
  const presence = createPresence(locks, `${name}:presence`);
  let signedOutAt = 0;
  const answers = new Map<string, (tokens: TokenSet) => void>();
  const arrivals = new Set<() => void>();

  const post = (message: Outgoing) => {
    try {
      channel?.postMessage({ v: PROTOCOL_VERSION, from: tabId, ...message });
    } catch (error) {
      ctx.events.emit('error', {
        error: new SessionError('CHANNEL_UNAVAILABLE', 'Could not message other tabs', {
          cause: error,
        }),
        source: 'channel',
      });
    }
  };
  const held = () => ctx.state.get().tokens;
  const isFresher = (tokens: TokenSet) =>
    tokens.obtainedAt > signedOutAt && tokens.obtainedAt > (held()?.obtainedAt ?? 0);

  const onMessage = (event: { data: unknown }) => {
    const message = readMessage(event.data);
    if (!message || message.from === tabId) return;
    if (message.type === 'tokens' || message.type === 'answer')
      ctx.observe(message.tokens.obtainedAt);
    if (message.type === 'signout') ctx.observe(message.at);
    const { status } = ctx.state.get();
    const signedIn = status === 'authenticated' || status === 'refreshing';
    switch (message.type) {
      case 'tokens':
        // A refresh elsewhere continues a session this tab has; it never starts one here.
        if (!isFresher(message.tokens) || (message.kind === 'refresh' && !signedIn)) return;
        remote.tokens(message.tokens, message.kind);
        for (const arrived of [...arrivals]) arrived();
        return;
      case 'signout':
        if (message.at < (held()?.obtainedAt ?? 0)) return; // older than the tokens held: stale
        signedOutAt = Math.max(signedOutAt, message.at);
        remote.signOut(message.kind, message.reason);
        return;
      case 'ask': {
        const tokens = held();
        if (signedIn && tokens)
          post({ type: 'answer', id: message.id, tokens: tokenPayload(tokens) });
        return;
      }
      case 'answer':
        answers.get(message.id)?.(message.tokens);
    }
  };
  channel?.addEventListener('message', onMessage);

  /** Wait up to `ms` for a token set fresher than `since` to arrive from another tab. */
  const waitForFresher = (since: number, ms: number) =>
    new Promise<TokenSet | null>((resolve) => {
      const done = (value: TokenSet | null) => {
        env.clearTimeout(timer);
        arrivals.delete(check);
        resolve(value);
      };
      const check = () => {
        const tokens = held();
        if (tokens && tokens.obtainedAt > since) done(tokens);
      };
      const timer = env.setTimeout(() => done(null), ms);
      arrivals.add(check);
      check();
    });

  const ask = (ms: number) =>
    new Promise<TokenSet | null>((resolve) => {
      if (!channel) return resolve(null);
      const id = `${tabId}:${env.now()}:${answers.size}`;
      const done = (tokens: TokenSet | null) => {
        env.clearTimeout(timer);
        answers.delete(id);
        resolve(tokens);
      };
      const timer = env.setTimeout(() => done(null), ms);
      answers.set(id, (tokens) => tokens.obtainedAt > signedOutAt && done(tokens));
      post({ type: 'ask', id });
    });

  /** Under the lock: adopt what another tab got, or refresh and publish before letting go. */
  async function refreshLocked(
    since: number,
    perform: (signal: AbortSignal) => Promise<TokenSet>,
    signal: AbortSignal,
  ) {
    const mine = held();
    if (mine && mine.obtainedAt > since) return mine;
    const generation = await record.read();
    if (generation !== null && generation > since) {
      // Rotated by another tab whose broadcast has not arrived yet: never send the old token.
      const fresh = (await waitForFresher(since, ROTATED_WAIT_MS)) ?? (await ask(INIT_TIMEOUT_MS));
      if (fresh && fresh.obtainedAt > since) return fresh;
      throw new RefreshError('network', {
        message: 'Another tab rotated the refresh token; its new token has not arrived yet',
      });
    }
    const tokens = await perform(signal);
    // Order token sets strictly, whatever the clock resolution.
    if (generation !== null) ctx.observe(generation);
    const stamped = { ...tokens, obtainedAt: Math.max(tokens.obtainedAt, ctx.stamp()) };
    await record.write(stamped.obtainedAt);
    post({ type: 'tokens', kind: 'refresh', tokens: tokenPayload(stamped) });
    return stamped;
  }

  return {
    async refresh(current, perform, signal) {
      const since = current?.obtainedAt ?? 0;
      if (!locks) {
        const tokens = await perform(signal);
        post({ type: 'tokens', kind: 'refresh', tokens: tokenPayload(tokens) });
        return tokens;
      }
      const timeout = new AbortController();
      const timer = env.setTimeout(
        () =>
          timeout.abort(
            new RefreshError('network', { message: 'Timed out waiting for the refresh lock' }),
          ),
        LOCK_TIMEOUT_MS,
      );
      const stop = () => timeout.abort(signal.reason);
      signal.addEventListener('abort', stop, { once: true });
      try {
        return await locks.request(`${name}:refresh`, { signal: timeout.signal }, () =>
          refreshLocked(since, perform, signal),
        );
      } catch (error) {
        if (signal.aborted || !timeout.signal.aborted) throw error;
        // The lock holder is stuck (a frozen tab mid-refresh). Go ahead only if the record shows
        // our token is still the newest; otherwise it was rotated and must not be sent.
        const generation = await record.read();
        if (generation !== null && generation <= since)
          return refreshLocked(since, perform, signal);
        throw error;
      } finally {
        env.clearTimeout(timer);
        signal.removeEventListener('abort', stop);
      }
    },
    publishTokens(tokens, kind) {
      if (kind === 'login') void record.write(tokens.obtainedAt);
      post({ type: 'tokens', kind, tokens: tokenPayload(tokens) });
    },
    publishSignOut(kind, _userId, reason) {
      signedOutAt = ctx.stamp();
      post({ type: 'signout', kind, at: signedOutAt, ...(reason ? { reason } : {}) });
    },
    setSignedIn(signedIn) {
      presence.set(signedIn);
    },
    askTabs() {
      if (!channel) return null;
      if (!locks) {
        // Nothing tells whether another tab is open: start signed out, sign in if one answers.
        void ask(INIT_TIMEOUT_MS).then(
          (tokens) =>
            tokens && ctx.state.get().status === 'anonymous' && remote.tokens(tokens, 'restore'),
        );
        return null;
      }
      return presence.othersOpen().then((open) => (open ? ask(INIT_TIMEOUT_MS) : null));
    },
    destroy() {
      channel?.removeEventListener('message', onMessage);
      channel?.close();
      presence.set(false);
      record.close();
      arrivals.clear();
      answers.clear();
    },
  };
}
