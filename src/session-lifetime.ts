import * as z from 'zod/mini';
import type { SessionContext } from './session-context';
import type { TokenSet } from './tokens';

/** Default warning before the session's absolute end, in ms. */
export const END_WARNING_MS = 300_000;

/** The warning before the absolute end: when it ends and how long is left, in ms. */
export interface SessionEnding {
  readonly endsAt: number;
  readonly remainingMs: number;
}

const startSchema = z.object({ v: z.literal(1), userId: z.nullable(z.string()), at: z.number() });

/**
 * The session's absolute end: the refresh token's own expiry (when the server says) and
 * `maxSessionMs` counted from login (kept in localStorage, so a reload or another tab does not
 * restart it), whichever comes first. `endWarningMs` before it every tab emits `session-ending`
 * (drafts are flushed); at the end the session expires with reason `max-age`. No refresh is
 * planned past it.
 */
export function createSessionLifetime(ctx: SessionContext): () => SessionEnding | null {
  const { options, env, state, events, internal, scheduler } = ctx;
  const maxMs = options.maxSessionMs;
  const warningMs = options.endWarningMs ?? END_WARNING_MS;
  const key = `${ctx.name}:session-start`;
  let timers: (() => void)[] = [];
  let warnFrom = Number.POSITIVE_INFINITY;

  const storage = () => {
    try {
      return env.storage('local');
    } catch {
      return null;
    }
  };
  const remember = (tokens: TokenSet) => {
    if (maxMs === undefined || tokens.startedAt === undefined) return;
    try {
      storage()?.setItem(
        key,
        JSON.stringify({ v: 1, userId: tokens.userId ?? null, at: tokens.startedAt }),
      );
    } catch {
      // Without storage the limit still holds in this tab (and travels with the tokens to others).
    }
  };
  /** When this user's session started: from the tokens, else from storage (a probe after a reload). */
  const startedAt = (tokens: TokenSet): number | undefined => {
    if (tokens.startedAt !== undefined) return tokens.startedAt;
    try {
      const stored = startSchema.safeParse(JSON.parse(storage()?.getItem(key) ?? 'null'));
      if (stored.success && stored.data.userId === (tokens.userId ?? null)) return stored.data.at;
    } catch {
      // Unreadable: counted from now.
    }
    return undefined;
  };

  const clear = () => {
    for (const cancel of timers) cancel();
    timers = [];
    warnFrom = Number.POSITIVE_INFINITY;
  };

  function plan(tokens: TokenSet) {
    clear();
    const started = maxMs === undefined ? undefined : (startedAt(tokens) ?? env.now());
    const limits = [
      tokens.refreshExpiresAt,
      started === undefined ? undefined : started + (maxMs ?? 0),
    ];
    const defined = limits.filter((t): t is number => t !== undefined);
    const endsAt = defined.length > 0 ? Math.min(...defined) : null;
    state.set({ sessionEndsAt: endsAt });
    ctx.reschedule();
    if (endsAt === null) return;
    warnFrom = endsAt - warningMs;
    timers.push(
      scheduler.at(endsAt - warningMs, () => {
        const remainingMs = endsAt - env.now();
        if (remainingMs > 0) events.emit('session-ending', { endsAt, remainingMs });
      }),
      scheduler.at(endsAt, () => ctx.expire('max-age')),
    );
  }

  internal.on('signed-in', ({ restored }) => {
    const { tokens } = state.get();
    if (!tokens) return;
    if (!restored) remember(tokens);
    plan(tokens);
  });
  internal.on('tokens', ({ tokens }) => plan(tokens));
  internal.on('signed-out', ({ kind }) => {
    clear();
    state.set({ sessionEndsAt: null });
    if (kind === 'logout') {
      try {
        storage()?.removeItem(key);
      } catch {
        // Nothing to clean up then.
      }
    }
  });
  internal.on('destroy', clear);

  return () => {
    const endsAt = state.get().sessionEndsAt;
    const now = env.now();
    return endsAt !== null && now >= warnFrom && now < endsAt
      ? { endsAt, remainingMs: endsAt - now }
      : null;
  };
}
