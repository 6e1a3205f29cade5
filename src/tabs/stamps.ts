import type { RuntimeEnv } from '../lib/env';
import type { GuardedStorage } from '../lib/safe-storage';

/**
 * Stamps put what happens to a session in one order that every tab agrees on: sign-ins,
 * refreshes and sign-outs. A stamp is a hybrid logical clock reading: the wall clock in ms, but
 * always greater than every stamp this tab has seen, from another tab's message or from storage.
 * So the order follows cause and effect even after the clock was set back: a logout in a tab
 * opened after the clock went back 10 minutes is still later than the sign-in it ends, and a
 * stamp far in the future (a clock that was wrong) only moves every later stamp past it.
 *
 * Each tab adds its own fraction in [0, 1), so two tabs never make the same stamp and all tabs
 * sort events made at the same moment alike. The last stamp is kept in storage, so a new tab
 * starts after everything the open tabs did, even before it has heard from them.
 */
export interface Stamps {
  /** A new stamp, greater than every stamp made or seen so far. */
  next(): number;
  /** A stamp seen elsewhere (a message, storage): later stamps of this tab will be greater. */
  observe(stamp: number): void;
}

/** `storage`: where the last stamp is shared with the other tabs (none without cross-tab sharing). */
export function createStamps(env: RuntimeEnv, storage: GuardedStorage | null, key: string): Stamps {
  const fraction = env.random();
  let last = 0;

  const stored = () => {
    const text = storage?.('read', (s) => s.getItem(key));
    return text ? Number(text) : 0;
  };
  /** Take `stamp` as the last one if it is later. */
  const raise = (stamp: number) => {
    if (!Number.isFinite(stamp) || stamp <= last) return false;
    last = stamp;
    return true;
  };
  /** Keep `stamp` for new tabs. */
  const keep = (stamp: number) => storage?.('write', (s) => s.setItem(key, String(stamp)));

  return {
    next() {
      const seen = stored();
      if (Number.isFinite(seen) && seen > last) last = seen;
      raise(Math.max(env.now(), Math.floor(last) + 1) + fraction);
      keep(last);
      return last;
    },
    observe(stamp) {
      // Written only when storage holds an older one: the tab that made a stamp kept it there.
      if (raise(stamp) && !(stored() >= stamp)) keep(stamp);
    },
  };
}
