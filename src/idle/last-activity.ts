import type { RuntimeEnv } from '../lib/env';
import type { SessionError } from '../lib/errors';
import { hasFields, isEpochMs, oneOf, parseJson } from '../lib/guards';
import { guardStorage } from '../lib/safe-storage';

/** The stored value: `{ v: 1, at }` (epoch ms). */
const isStored = hasFields<{ v: 1; at: number }>({ v: oneOf(1), at: isEpochMs });

/** The only message of the idle channel: `{ v: 1, type: 'activity', at }`. */
export const isActivityMessage = hasFields<{ v: 1; type: 'activity'; at: number }>({
  v: oneOf(1),
  type: oneOf('activity'),
  at: isEpochMs,
});

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
      // A corrupt value is not a broken storage: it is overwritten on the next write.
      const stored = parseJson(use('read', (storage) => storage.getItem(key), true));
      return isStored(stored) ? stored.at : null;
    },
    write(at) {
      use('write', (storage) => storage.setItem(key, JSON.stringify({ v: 1, at })), true);
    },
  };
}

/**
 * The {@link LastActivityStore} of a timer, made at its first use (once a session, if any, said
 * where the timer lives). Without cross-tab sharing, localStorage would still let tabs reset
 * each other: the timestamp is then kept per tab (sessionStorage survives a reload too).
 */
export function lazyLastActivityStore(
  env: RuntimeEnv,
  where: () => { crossTab: boolean; name: string },
  onError: (error: SessionError) => void,
): () => LastActivityStore {
  let store: LastActivityStore | null = null;
  return () => {
    const { crossTab, name } = where();
    store ??= createLastActivityStore(
      env,
      crossTab ? 'local' : 'session',
      `${name}:idle:last-activity`,
      onError,
    );
    return store;
  };
}
