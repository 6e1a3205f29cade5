import * as z from 'zod/mini';
import type { GuardedStorage } from '../lib/safe-storage';
import type { ExpireReason, SessionUser } from './types';

const REASONS = ['refresh-rejected', 'unauthorized', 'idle', 'max-age', 'manual'] as const;

const recordSchema = z.object({
  v: z.literal(1),
  reason: z.enum(REASONS),
  user: z.object({
    id: z.nullable(z.string()),
    claims: z.record(z.string(), z.unknown()),
  }),
  /** The stamp of the sign-in that began the session that expired. */
  sessionStamp: z.number(),
  /** The stamp of the expiry itself. */
  stamp: z.number(),
});

/** A forced re-login, as kept for reloads and new tabs. */
export type Expiry = z.infer<typeof recordSchema> & { user: SessionUser; reason: ExpireReason };

/**
 * A forced re-login holds across reloads and new tabs until someone signs in: the tab where the
 * session expired keeps the reason, the last user and the stamps here (localStorage, or
 * sessionStorage for a session without cross-tab sharing), and a page that starts while it is
 * here starts `expired` instead of restoring the session, asking a probe, or signing in again.
 * A sign-in or a logout (in any tab) removes it. No token is kept: only what the "sign in again as …" screen
 * needs.
 */
export function createExpiryRecord(storage: GuardedStorage, key: string) {
  const read = (): Expiry | null => {
    const text = storage('read', (s) => s.getItem(key));
    if (!text) return null;
    try {
      return recordSchema.safeParse(JSON.parse(text)).data ?? null;
    } catch {
      return null; // corrupt: ignored, and replaced at the next expiry
    }
  };
  return {
    read,
    write(expiry: Omit<Expiry, 'v'>) {
      storage('write', (s) => s.setItem(key, JSON.stringify({ v: 1, ...expiry })));
    },
    /** Remove it; with `before`, only when its session began before that stamp (a logout's). */
    clear(before = Number.POSITIVE_INFINITY) {
      const expiry = read();
      if (expiry && expiry.sessionStamp < before) storage('remove', (s) => s.removeItem(key));
    },
  };
}

export type ExpiryRecord = ReturnType<typeof createExpiryRecord>;
