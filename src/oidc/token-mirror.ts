import type { StorageLike } from 'sessionkeeper';

/** The tokens of the session that the provider's endpoints need. */
export interface HeldTokens {
  readonly refreshToken?: string | undefined;
  readonly idToken?: string | undefined;
  /** The user id the session holds (the ID token's `sub`). */
  readonly userId?: string | undefined;
}

const read = (text: string | null): HeldTokens | null => {
  try {
    const tokens = text ? (JSON.parse(text) as { tokens?: unknown }).tokens : null;
    if (tokens === null || typeof tokens !== 'object') return null;
    const { refreshToken, idToken, userId } = tokens as Record<string, unknown>;
    const text_ = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return { refreshToken: text_(refreshToken), idToken: text_(idToken), userId: text_(userId) };
  } catch {
    return null;
  }
};

/**
 * The session's token storage, watched: the session writes its token set there whenever it
 * changes (a sign-in, a refresh in any tab, a restore) and removes it when it signs out or
 * expires. The module reads the ID token (for `id_token_hint`) and the refresh token (to
 * revoke it) from here, as the session exposes neither. Entries live in memory, and also in
 * `inner` (the session's `storage` choice) when one is given.
 */
export function createTokenMirror(inner: () => StorageLike | null | undefined) {
  const memory = new Map<string, string>();
  let held: HeldTokens | null = null;
  let released: HeldTokens | null = null;

  const storage: StorageLike = {
    getItem(key) {
      const text = inner()?.getItem(key) ?? memory.get(key) ?? null;
      held = read(text);
      return text;
    },
    setItem(key, value) {
      memory.set(key, value);
      inner()?.setItem(key, value);
      held = read(value);
      released = null;
    },
    removeItem(key) {
      memory.delete(key);
      inner()?.removeItem(key);
      released = held;
      held = null;
      // Only a logout's own revocation, called at once after the removal, may take it.
      queueMicrotask(() => {
        released = null;
      });
    },
  };

  return {
    storage,
    /** The tokens held now. */
    held: () => held,
    /** The tokens a logout just cleared (this task only), taken once. */
    takeReleased(): HeldTokens | null {
      const tokens = released;
      released = null;
      return tokens;
    },
  };
}

export type TokenMirror = ReturnType<typeof createTokenMirror>;
