import type { IdleTimerOptions } from '../../src/idle/types';
import type { Env } from '../../src/lib/env';
import { createIdleBrowser } from '../helpers/idle-tabs';
import { createLockManager } from '../helpers/locks';
import type { ManualClock } from '../helpers/manual-clock';

/**
 * {@link createIdleBrowser} with Web Locks, as in today's browsers: one lock manager for the
 * browser, a client of it per tab (`locks.held` lists the locks held).
 */
export function createLockedIdleBrowser() {
  const browser = createIdleBrowser();
  const locks = createLockManager();
  let tabs = 0;
  const tab = (options: IdleTimerOptions = {}, env: Env = {}) =>
    browser.tab(options, { locks: locks.manager(`tab-${tabs++}`), ...env });
  return { ...browser, locks, tab };
}

/** Let lock requests, queries and channel messages settle (they take microtasks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

/**
 * `clock.advance(ms)` in steps of `step` ms, letting lock questions settle after each step (a
 * prompt or idle waits for the answer of the lock manager, which comes in microtasks).
 */
export async function advance(clock: ManualClock, ms: number, step = 500): Promise<void> {
  for (let left = ms; left > 0; left -= step) {
    clock.advance(Math.min(step, left));
    await settle();
  }
}
