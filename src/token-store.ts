import * as z from 'zod/mini';
import type { RuntimeEnv, StorageLike } from './env';
import { SessionError } from './errors';
import { type TokenSet, tokenSetSchema } from './tokens';
import type { TokenStorageOption } from './types';

const VERSION = 1;

const storedSchema = z.object({ v: z.literal(VERSION), tokens: tokenSetSchema });

/** Where the token set lives. Memory by default; web storage only where the app opts in. */
export interface TokenStore {
  load(): TokenSet | null;
  save(tokens: TokenSet | null): void;
  readonly kind: 'memory' | 'web';
}

export function storageError(action: string, cause: unknown): SessionError {
  return new SessionError(
    'STORAGE_UNAVAILABLE',
    `Storage is unavailable (${action}); kept in memory`,
    { cause },
  );
}

/**
 * A web storage (or adapter) with a memory fallback: any throw (SecurityError, QuotaExceededError,
 * no storage at all) is reported once through `onError` and the set is kept in memory instead.
 */
export function createTokenStore(
  option: TokenStorageOption,
  env: RuntimeEnv,
  key: string,
  onError: (error: SessionError) => void,
): TokenStore {
  let memory: TokenSet | null = null;
  if (option === 'memory') {
    return {
      kind: 'memory',
      load: () => memory,
      save: (tokens) => {
        memory = tokens;
      },
    };
  }
  let failed = false;
  const fail = (action: string, cause: unknown) => {
    if (!failed) onError(storageError(action, cause));
    failed = true;
  };
  const storage = (): StorageLike | null => {
    if (typeof option === 'object') return option;
    const found = env.storage(option);
    if (!found) throw new Error(`${option}Storage is not available`);
    return found;
  };
  return {
    kind: 'web',
    load() {
      if (failed) return memory;
      try {
        const text = storage()?.getItem(key);
        if (!text) return null;
        const parsed = storedSchema.safeParse(JSON.parse(text));
        if (!parsed.success) {
          storage()?.removeItem(key);
          return null;
        }
        return parsed.data.tokens;
      } catch (cause) {
        fail('read', cause);
        return memory;
      }
    },
    save(tokens) {
      memory = tokens;
      if (failed) return;
      try {
        if (tokens) storage()?.setItem(key, JSON.stringify({ v: VERSION, tokens }));
        else storage()?.removeItem(key);
      } catch (cause) {
        fail('write', cause);
      }
    },
  };
}

/** Every key of a storage: `keys()` when the adapter has it, else Web Storage `length`/`key(i)`. */
export function storageKeys(storage: StorageLike): string[] {
  if (typeof storage.keys === 'function') return storage.keys();
  const keys: string[] = [];
  const length = storage.length ?? 0;
  for (let i = 0; i < length; i++) {
    const key = storage.key?.(i);
    if (key != null) keys.push(key);
  }
  return keys;
}
