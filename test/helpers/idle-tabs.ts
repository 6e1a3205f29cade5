import { createIdleTimer } from '../../src/idle/idle-timer';
import type { IdleTimerEventMap, IdleTimerOptions } from '../../src/idle/types';
import type { Env } from '../../src/lib/env';
import { createChannelHub } from './channel';
import { createFakeWindow } from './fake-window';
import { createManualClock } from './manual-clock';
import { MemoryStorage } from './storage';

/** An event as logged: its type, the clock time, and its payload. */
export type LoggedIdleEvent =
  | ({ type: 'idle-prompt'; at: number } & IdleTimerEventMap['idle-prompt'])
  | { type: 'idle' | 'active'; at: number }
  | ({ type: 'error'; at: number } & IdleTimerEventMap['error']);

/**
 * "Tabs" of one browser for idle timer tests: one manual clock, one localStorage and one
 * channel hub shared by all, a window per tab. `tab()` opens a tab with its own timer and an
 * event log (`log`, each entry stamped with the clock time).
 */
export function createIdleBrowser() {
  const clock = createManualClock();
  const localStorage = new MemoryStorage();
  const sessionStorage = new MemoryStorage();
  const hub = createChannelHub();

  function tab(options: IdleTimerOptions = {}, envOverrides: Env = {}) {
    const win = createFakeWindow();
    const env: Env = {
      now: clock.now,
      setTimeout: clock.setTimeout,
      clearTimeout: clock.clearTimeout,
      window: win.window,
      localStorage,
      sessionStorage,
      BroadcastChannel: hub.BroadcastChannel,
    };
    // Copied as descriptors, so an override may be a getter that throws (like a blocked storage).
    Object.defineProperties(env, Object.getOwnPropertyDescriptors(envOverrides));
    const timer = createIdleTimer({ timeoutMs: 10_000, promptBeforeMs: 2_000, ...options, env });
    const log: LoggedIdleEvent[] = [];
    for (const type of ['idle-prompt', 'idle', 'active', 'error'] as const) {
      timer.on(type, (event) => {
        log.push({ type, at: clock.now(), ...event } as LoggedIdleEvent);
      });
    }
    /** The types of the events logged so far. */
    const types = () => log.map((entry) => entry.type);
    return { timer, win, log, types, env };
  }

  return { clock, localStorage, sessionStorage, hub, tab, start: clock.now() };
}

/** Let the in-memory channel deliver (it delivers in a microtask, like a real one). */
export async function flushChannel(): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve();
}
