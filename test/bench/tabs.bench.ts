import { IDBFactory } from 'fake-indexeddb';
import { bench, describe } from 'vitest';
import { createSession } from '../../src/index';
import { createChannelHub } from '../helpers/channel';
import { createLockManager } from '../helpers/locks';
import { createFakeServer } from '../helpers/server';
import { ORIGIN } from '../helpers/session';

/**
 * Refresh requests and channel messages per token rotation for N simulated tabs sharing a
 * channel, a LockManager and IndexedDB, on a controllable clock: every tab's timer fires while
 * the first refresh is in flight. Counts are printed; the bench times one whole rotation.
 */
async function rotations(tabs: number, count: number) {
  let now = Date.UTC(2026, 10, 26);
  const timers = new Set<{ at: number; fn: () => void }>();
  const env = {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const t = { at: now + ms, fn };
      timers.add(t);
      return t;
    },
    clearTimeout: (t: unknown) => timers.delete(t as { at: number; fn: () => void }),
  };
  const yieldTasks = async () => {
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
  };
  const runDue = async () => {
    for (;;) {
      const due = [...timers].filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers.delete(due);
      due.fn();
      await yieldTasks();
    }
  };
  const server = createFakeServer({ origin: ORIGIN, accessTtlS: 600, now: () => now });
  const hub = createChannelHub();
  const locks = createLockManager();
  const indexedDB = new IDBFactory();
  const sessions = Array.from({ length: tabs }, (_, i) =>
    createSession({
      refresh: `${ORIGIN}/token`,
      env: {
        ...env,
        fetch: server.fetch,
        window: null,
        BroadcastChannel: hub.BroadcastChannel,
        locks: locks.manager(`tab-${i}`),
        indexedDB,
        localStorage: null,
      },
    }),
  );
  await sessions[0]?.login(server.login('alice'));
  await yieldTasks();
  const sentBefore = hub.sent.length;
  for (let r = 0; r < count; r++) {
    const release = server.hold();
    now += 480_000;
    await runDue();
    release();
    await yieldTasks();
    await runDue();
  }
  for (const s of sessions) s.destroy();
  return {
    refreshes: server.counts.refresh,
    reuse: server.counts.reuse,
    messages: hub.sent.length - sentBefore,
  };
}

describe('cross-tab refresh', async () => {
  for (const tabs of [2, 5, 20]) {
    const result = await rotations(tabs, 10);
    console.log(
      `${tabs} tabs, 10 rotations: ${result.refreshes / 10} refresh request(s) per rotation, ` +
        `${result.messages / 10} channel message(s) per rotation, ${result.reuse} reuse rejection(s)`,
    );
    bench(
      `${tabs} tabs: one rotation`,
      async () => {
        await rotations(tabs, 1);
      },
      { iterations: 5, time: 0 },
    );
  }
});
