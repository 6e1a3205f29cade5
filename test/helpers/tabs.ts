import { IDBFactory } from 'fake-indexeddb';
import { vi } from 'vitest';
import { createSession, type Session, type SessionOptions } from '../../src/index';
import { createChannelHub } from './channel';
import { createLockManager } from './locks';
import { createFakeServer, type FakeServerOptions } from './server';
import { ORIGIN, recordEvents } from './session';
import { MemoryStorage } from './storage';
import { FakeWindow } from './window';

export interface Tab {
  session: Session;
  win: FakeWindow;
  events: { type: string; event: unknown }[];
  ofType(type: string): unknown[];
}

/**
 * Several "tabs" of one browser in one process: each a session with its own window, sharing an
 * in-memory BroadcastChannel, a fake LockManager, IndexedDB (fake-indexeddb), localStorage and
 * the fake token server.
 */
export function createBrowser(
  serverOptions: FakeServerOptions = {},
  shared: { indexedDB?: boolean; locks?: boolean; channel?: boolean } = {},
) {
  const server = createFakeServer({ origin: ORIGIN, ...serverOptions });
  const hub = createChannelHub();
  const locks = createLockManager();
  const indexedDB = shared.indexedDB === false ? null : new IDBFactory();
  const localStorage = new MemoryStorage();
  const tabs: Tab[] = [];

  function open(options: Partial<SessionOptions> = {}): Tab {
    const win = new FakeWindow(ORIGIN);
    const session = createSession({
      refresh: `${ORIGIN}/token`,
      ...options,
      env: {
        fetch: server.fetch,
        window: win,
        localStorage,
        sessionStorage: new MemoryStorage(),
        BroadcastChannel: shared.channel === false ? null : hub.BroadcastChannel,
        locks: shared.locks === false ? null : locks.manager(`tab-${tabs.length}`),
        indexedDB,
        random: Math.random,
        ...options.env,
      },
    });
    const tab = { session, win, ...recordEvents(session) };
    tabs.push(tab);
    return tab;
  }

  return { server, hub, locks, tabs, open, localStorage };
}

/** Let every promise, fake timer at the current instant, and IndexedDB task (setImmediate) run. */
export async function settle(rounds = 30) {
  for (let i = 0; i < rounds; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
