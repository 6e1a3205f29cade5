import * as z from 'zod/mini';
import type { RuntimeEnv } from '../lib/env';
import type { SessionError } from '../lib/errors';
import { guardStorage } from '../lib/safe-storage';

/** An epoch-ms timestamp: finite, positive, before the year 33658. */
const timestampSchema = z.number().check(z.gt(0), z.lt(1e15));

/** The stored value: `{ v: 1, at }`. */
const storedSchema = z.object({ v: z.literal(1), at: timestampSchema });

/** The only message of the idle channel: `{ v: 1, type: 'activity', at }`. */
export const activityMessageSchema = z.extend(storedSchema, { type: z.literal('activity') });

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
  const use = guardStorage(env, kind, `Idle timer: ${kind}`, onError);

  return {
    read() {
      const text = use('read', (storage) => storage.getItem(key), true);
      try {
        // A corrupt value is not a broken storage: it is overwritten on the next write.
        return storedSchema.safeParse(JSON.parse(text as string)).data?.at ?? null;
      } catch {
        return null;
      }
    },
    write(at) {
      use('write', (storage) => storage.setItem(key, JSON.stringify({ v: 1, at })), true);
    },
  };
}
