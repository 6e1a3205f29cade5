import type { TokenStorageOption } from '../core/types';
import type { RuntimeEnv } from '../lib/env';
import type { SessionError } from '../lib/errors';
import { parseJson } from '../lib/guards';
import { guardStorage } from '../lib/safe-storage';
import { isStoredTokens, type TokenSet } from './token-set';

/** Where the token set lives. Memory by default; web storage only where the app opts in. */
export interface TokenStore {
  load(): TokenSet | null;
  save(tokens: TokenSet | null): void;
}

/**
 * A web storage (or adapter) with a memory fallback: the first failure (SecurityError,
 * QuotaExceededError, no storage at all) is reported through `onError`, and from then on the
 * token set is kept in memory only. A tampered or foreign entry is removed and ignored.
 */
export function createTokenStore(
  option: TokenStorageOption,
  env: RuntimeEnv,
  key: string,
  onError: (error: SessionError) => void,
): TokenStore {
  let memory: TokenSet | null = null;
  /** The token set `load()` just read: saving it back writes nothing (a write costs ~1 ms). */
  let restored: TokenSet | null = null;
  let failed = false;
  const guarded =
    option === 'memory'
      ? null
      : guardStorage(env, option, 'Token', (error) => {
          failed = true;
          onError(error);
        });
  /** The web storage, until its first failure: from then on the token set is kept in memory. */
  const web = () => (failed ? null : guarded);
  return {
    load() {
      const stored = web()?.('read', (storage) => {
        const text = storage.getItem(key);
        if (text === null) return null;
        const stored = parseJson(text); // corrupt: removed like any entry that does not check
        if (isStoredTokens(stored)) return stored.tokens;
        storage.removeItem(key);
        return null;
      });
      restored = stored ?? null;
      return web() ? (stored ?? null) : memory;
    },
    save(tokens) {
      memory = tokens;
      const unchanged = tokens !== null && tokens === restored;
      restored = null;
      if (unchanged) return;
      web()?.('write', (storage) =>
        tokens ? storage.setItem(key, JSON.stringify({ v: 2, tokens })) : storage.removeItem(key),
      );
    },
  };
}
