import * as z from 'zod/mini';
import type { RuntimeEnv, StorageLike } from '../env';
import { SessionError } from '../errors';

const VERSION = 1;

/** An epoch-ms timestamp: finite, positive, before the year 33658. */
export const timestampSchema = z.number().check(z.gt(0), z.lt(1e15));

const storedSchema = z.object({ v: z.literal(VERSION), at: timestampSchema });

/** The last-activity timestamp shared by the tabs (or kept by one tab) across reloads. */
export interface LastActivityStore {
  /** The stored timestamp, or `null` when there is none, it is unreadable or invalid. */
  read(): number | null;
  write(at: number): void;
}

/**
 * Web storage holding the last activity. A storage that is missing or throws (private mode,
 * quota, SecurityError) never breaks the timer: the failure is reported through `onError`, once
 * per run of failures, and the timer goes on in memory.
 */
export function createLastActivityStore(
  env: RuntimeEnv,
  kind: 'local' | 'session',
  key: string,
  onError: (error: SessionError) => void,
): LastActivityStore {
  let failing = false;
  const fail = (action: string, cause?: unknown) => {
    if (!failing) {
      onError(
        new SessionError(
          'STORAGE_UNAVAILABLE',
          `Idle timer: ${kind}Storage is unavailable (${action}); the last activity is kept in memory`,
          { cause },
        ),
      );
    }
    failing = true;
  };
  const storage = (action: string): StorageLike | null => {
    const found = env.storage(kind);
    if (!found) fail(action);
    return found;
  };

  return {
    read() {
      try {
        const target = storage('read');
        if (!target) return null;
        const text = target.getItem(key);
        failing = false;
        if (!text) return null;
        const parsed = storedSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data.at : null;
      } catch (cause) {
        // A SyntaxError is a corrupt value, not a broken storage: it is overwritten on the next write.
        if (!(cause instanceof SyntaxError)) fail('read', cause);
        return null;
      }
    },
    write(at) {
      try {
        const target = storage('write');
        if (!target) return;
        target.setItem(key, JSON.stringify({ v: VERSION, at }));
        failing = false;
      } catch (cause) {
        fail('write', cause);
      }
    },
  };
}
