import type { KeyRecord, KeyStore } from './key-store';

/** `promise`, with no unhandled rejection while nobody awaits it yet. */
const quiet = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => {});
  return promise;
};

/** The stored record, used by a session from now on. */
const bind = (current: KeyRecord | null): KeyRecord | null =>
  current && !current.bound ? { ...current, bound: true } : current;

/**
 * This tab's view of the session's key, over the store every tab shares:
 * - `held()`: the key of the session held, as last read (each sign-in reads it again): what
 *   the session's requests are signed with.
 * - `shared()`: the key read now, for the refresh (which runs under the cross-tab lock).
 * - `forSignIn()`: the key of a sign-in still to come: the stored one when no session used it
 *   yet, else a new one.
 * - `released()`: the key of the session this tab just logged out of, for its revocation.
 */
export function createKeys(store: () => KeyStore, newKey: () => Promise<KeyRecord>) {
  let held: Promise<KeyRecord | null> | null = null;
  let released: Promise<KeyRecord | null> | null = null;
  const readHeld = () => {
    held ??= quiet(store().read());
    return held;
  };

  return {
    held: readHeld,
    shared(): Promise<KeyRecord | null> {
      held = quiet(store().read());
      return held;
    },
    async forSignIn(): Promise<KeyRecord> {
      const stored = await store().read();
      if (stored && !stored.bound) return stored;
      const made = await newKey();
      // Another tab may have made one for this sign-in meanwhile: then both use that one.
      const chosen = await store().update((current) =>
        current && !current.bound ? current : made,
      );
      return chosen ?? made;
    },
    /** A session signed in (here, in another tab, or restored): its key is the stored one. */
    signedIn(): Promise<KeyRecord | null> {
      released = null;
      held = quiet(store().update(bind));
      return held;
    },
    /** This tab logged out: the key is deleted, and kept in memory for the revocation. */
    loggedOut(): void {
      released = held ?? quiet(store().read());
      held = null;
      quiet(store().update(() => null));
    },
    released: (): Promise<KeyRecord | null> => released ?? readHeld(),
    /** Another tab's logout, or an expiry: the key is read again at the next sign-in. */
    forget(): void {
      held = null;
    },
  };
}

export type Keys = ReturnType<typeof createKeys>;
