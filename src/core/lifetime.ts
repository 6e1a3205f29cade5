import type { Emitter } from '../lib/emitter';
import type { RuntimeEnv } from '../lib/env';
import { hasFields, isNumber, isString, nullable, oneOf, parseJson } from '../lib/guards';
import { guardStorage } from '../lib/safe-storage';
import type { Scheduler } from '../lib/scheduler';
import type { TokenSet } from '../tokens/token-set';
import type { SessionSignals } from './modules';
import type { SessionStateStore } from './state';
import type { ExpireReason, SessionEnding, SessionEventMap, SessionOptions } from './types';

/** Default warning before the session's absolute end, in ms. */
export const END_WARNING_MS = 300_000;

/** What the session's lifetime works with. */
export interface LifetimeDeps {
  env: RuntimeEnv;
  /** Namespaces the stored start of the session. */
  name: string;
  options: Pick<SessionOptions, 'maxSessionMs' | 'endWarningMs'>;
  state: SessionStateStore;
  scheduler: Scheduler;
  events: Pick<Emitter<SessionEventMap>, 'emit'>;
  signals: Pick<Emitter<SessionSignals>, 'on'>;
  /** Re-plan the next refresh: none is planned past the end. */
  reschedule(): void;
  expire(reason: ExpireReason): void;
}

/** The stored start: `{ v: 1, userId, at }` (epoch ms). */
const isStart = hasFields<{ v: 1; userId: string | null; at: number }>({
  v: oneOf(1),
  userId: nullable(isString),
  at: isNumber,
});

/**
 * The session's absolute end: the refresh token's own expiry (when the server says) and
 * `maxSessionMs` counted from login (kept in localStorage, so a reload or another tab does not
 * restart it), whichever comes first. `endWarningMs` before it every tab emits `session-ending`
 * (drafts are flushed); at the end the session expires with reason `max-age`. No refresh is
 * planned past it.
 */
export function createSessionLifetime(deps: LifetimeDeps): () => SessionEnding | null {
  const { options, env, state, events, signals, scheduler } = deps;
  const maxMs = options.maxSessionMs;
  const warningMs = options.endWarningMs ?? END_WARNING_MS;
  const key = `${deps.name}:session-start`;
  /** The warning and the end, while planned (kept after they fired, until cleared). */
  let timers: (() => void)[] = [];

  // Without localStorage (or when it throws) nothing is kept: the limit still holds in this tab
  // and travels with the tokens to other tabs; after a reload it counts from then. Not an error.
  const local = guardStorage(env, 'local', 'Session start', () => {});

  /** When this user's session started, as kept in storage (for a probe after a reload). */
  const storedStart = (userId: string | null) =>
    local('read', (storage) => {
      const stored = parseJson(storage.getItem(key));
      return isStart(stored) && stored.userId === userId ? stored.at : undefined;
    });

  const clear = () => {
    for (const cancel of timers) cancel();
    timers = [];
  };

  const plan = (tokens: TokenSet) => {
    const limits = [tokens.refreshExpiresAt];
    if (maxMs !== undefined) {
      limits.push((tokens.startedAt ?? storedStart(tokens.userId ?? null) ?? env.now()) + maxMs);
    }
    const defined = limits.filter((t) => t !== undefined);
    const endsAt = defined.length > 0 ? Math.min(...defined) : null;
    // A refresh that leaves the end where it was changes nothing: the warning is given once.
    if (endsAt !== null && endsAt === state.get().sessionEndsAt && timers.length > 0) return;
    clear();
    state.set({ sessionEndsAt: endsAt });
    deps.reschedule();
    if (endsAt === null) return;
    timers.push(
      scheduler.at(endsAt - warningMs, () => {
        const remainingMs = endsAt - env.now();
        if (remainingMs > 0) events.emit('session-ending', { endsAt, remainingMs });
      }),
      scheduler.at(endsAt, () => deps.expire('max-age')),
    );
  };

  signals.on('signed-in', ({ restored }) => {
    const { tokens } = state.get();
    if (!tokens) return;
    if (!restored && maxMs !== undefined && tokens.startedAt !== undefined) {
      const start = { v: 1, userId: tokens.userId ?? null, at: tokens.startedAt };
      local('write', (storage) => storage.setItem(key, JSON.stringify(start)));
    }
    plan(tokens);
  });
  signals.on('tokens', ({ tokens }) => plan(tokens));
  signals.on('signed-out', ({ kind }) => {
    clear();
    state.set({ sessionEndsAt: null });
    if (kind === 'logout') local('remove', (storage) => storage.removeItem(key));
  });
  signals.on('destroy', clear);

  return () => {
    const endsAt = state.get().sessionEndsAt;
    const now = env.now();
    return timers.length > 0 && endsAt !== null && now >= endsAt - warningMs && now < endsAt
      ? { endsAt, remainingMs: endsAt - now }
      : null;
  };
}
