import {
  type Check,
  hasFields,
  isNumber,
  isObject,
  isString,
  nullable,
  oneOf,
  parseJson,
} from '../lib/guards';
import type { GuardedStorage } from '../lib/safe-storage';
import type { ExpireReason, SessionUser } from './types';

export const isExpireReason: Check<ExpireReason> = oneOf(
  'refresh-rejected',
  'unauthorized',
  'idle',
  'max-age',
  'manual',
);

export const isSessionUser = hasFields<SessionUser>({ id: nullable(isString), claims: isObject });

/** A forced re-login, as kept for reloads and new tabs. */
export interface Expiry {
  v: 1;
  reason: ExpireReason;
  /** The user whose session expired. */
  user: SessionUser;
  /** The stamp of the sign-in that began the session that expired. */
  sessionStamp: number;
  /** The stamp of the expiry itself. */
  stamp: number;
}

const isExpiry = hasFields<Expiry>({
  v: oneOf(1),
  reason: isExpireReason,
  user: isSessionUser,
  sessionStamp: isNumber,
  stamp: isNumber,
});

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
    // A corrupt entry is ignored, and replaced at the next expiry.
    const expiry = parseJson(storage('read', (s) => s.getItem(key)));
    return isExpiry(expiry) ? expiry : null;
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
