import type { RuntimeEnv } from './env';
import type { SessionError } from './errors';
import type { TokenSet } from './tokens';

/**
 * Callers waiting for a token: `waiting` for a refresh in flight (or due), `held` while the
 * session is expired (until the same user signs in again). Each waiter leaves at once when its
 * own signal aborts, and rejects after the hold timeout.
 */
export interface TokenGate {
  /** Wait for the next token set. `userId` is the user the caller acted for. */
  wait(kind: WaiterKind, userId: string | null, signal?: AbortSignal): Promise<TokenSet>;
  /** Give a token set to the waiters that may have it; the others reject with `reject(waiter)`. */
  release(
    tokens: TokenSet,
    mayReceive: (waiter: Waiter) => boolean,
    otherwise: () => SessionError,
  ): void;
  /** The session expired: every waiter is now held (for the same user). */
  holdAll(): void;
  rejectAll(error: SessionError): void;
  readonly size: number;
  readonly heldCount: number;
}

export type WaiterKind = 'waiting' | 'held';

export interface Waiter {
  kind: WaiterKind;
  userId: string | null;
}

interface Entry extends Waiter {
  resolve(tokens: TokenSet): void;
  reject(error: unknown): void;
}

export function createGate(
  env: RuntimeEnv,
  holdTimeoutMs: () => number,
  onTimeout: (waiter: Waiter) => SessionError,
  onChange: () => void,
): TokenGate {
  const entries = new Set<Entry>();

  return {
    wait(kind, userId, signal) {
      return new Promise<TokenSet>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        let timer: unknown;
        const onAbort = () => entry.reject(signal?.reason);
        const settle = () => {
          entries.delete(entry);
          env.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          onChange();
        };
        const entry: Entry = {
          kind,
          userId,
          resolve: (tokens) => {
            settle();
            resolve(tokens);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        };
        entries.add(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
        timer = env.setTimeout(() => entry.reject(onTimeout(entry)), holdTimeoutMs());
        onChange();
      });
    },
    release(tokens, mayReceive, otherwise) {
      for (const entry of [...entries]) {
        if (mayReceive(entry)) entry.resolve(tokens);
        else entry.reject(otherwise());
      }
    },
    holdAll() {
      for (const entry of entries) entry.kind = 'held';
    },
    rejectAll(error) {
      for (const entry of [...entries]) entry.reject(error);
    },
    get size() {
      return entries.size;
    },
    get heldCount() {
      let count = 0;
      for (const entry of entries) if (entry.kind === 'held') count++;
      return count;
    },
  };
}
