import type { PageCounters } from './counters';
import type { BenchServer } from './server';
import { sleep, sum } from './stats';
import {
  countersOf,
  launchCounted,
  openSignedInTabs,
  refreshEventsOf,
  statusOf,
  waitForRefreshes,
} from './tabs';

/** What one tab did during the window, in total (not per rotation). */
export interface TabActivity {
  /** Timer callbacks run (wake-ups), and timers armed. */
  timersFired: number;
  timersSet: number;
  lockRequests: number;
  lockGrants: number;
  lockQueries: number;
  /** BroadcastChannel messages delivered to the tab, and posted by it. */
  messagesIn: number;
  messagesOut: number;
  /** Refresh requests it sent, and `refresh` events it saw (its own and other tabs'). */
  refreshFetches: number;
  localRefreshes: number;
  remoteRefreshes: number;
  idbTransactions: number;
}

/** One window of token rotations in `tabs` tabs of one Chromium profile. */
export interface RotationRun {
  tabs: number;
  tokenSeconds: number;
  /** Successful refreshes at the server (one per rotation when all is well). */
  rotations: number;
  /** Refresh requests the server answered (successful or not). */
  refreshRequests: number;
  /** Requests that presented an already-rotated token (each revokes the session). */
  reuse: number;
  /** Sessions revoked at the server at the end (by reuse detection). */
  revoked: number;
  /** Smallest gap between two successful refreshes, in ms (two tabs refreshing: ~0). */
  minGapMs: number;
  windowMs: number;
  perTab: TabActivity[];
  lockNames: Record<string, number>;
  /** Each tab's status at the end, and whether it was visible. */
  statuses: string[];
  visibility: string[];
}

const total = (record: Record<string, number>) => sum(Object.values(record));

const minus = (after: PageCounters, before: PageCounters) => ({
  timersFired: after.timersFired - before.timersFired,
  timersSet: after.timersSet - before.timersSet,
  lockRequests: total(after.lockRequests) - total(before.lockRequests),
  lockGrants: after.lockGrants - before.lockGrants,
  lockQueries: after.lockQueries - before.lockQueries,
  messagesIn: total(after.messagesIn) - total(before.messagesIn),
  messagesOut: total(after.messagesOut) - total(before.messagesOut),
  refreshFetches: (after.fetches['/auth/refresh'] ?? 0) - (before.fetches['/auth/refresh'] ?? 0),
  idbTransactions: after.idbTransactions - before.idbTransactions,
});

/**
 * Sign in `tabs` tabs, let one rotation pass (leadership settles), then count what every tab does
 * over exactly `rotations` further rotations: the window opens and closes a fixed time after a
 * refresh (an eighth of the token's life), when nothing but the rotations is going on.
 */
export async function measureRotations(
  server: BenchServer,
  tabs: number,
  tokenSeconds: number,
  rotations: number,
): Promise<RotationRun> {
  const browser = await launchCounted();
  try {
    const pages = await openSignedInTabs(server, browser, tabs, tokenSeconds);
    const { state } = server.mock;
    const rotationMs = (tokenSeconds * 1000) / 2;
    const settleMs = (tokenSeconds * 1000) / 8;
    const timeout = rotationMs * 3 + 5_000;
    await waitForRefreshes(server, state.counters.refreshes + 1, timeout);
    await sleep(settleMs);

    const snapshot = async () => {
      const refreshes = state.counters.refreshes;
      const counters = await Promise.all(pages.map(countersOf));
      const events = await Promise.all(pages.map(refreshEventsOf));
      return {
        at: Date.now(),
        refreshes,
        requests: refreshes + state.counters.refreshFailures + state.counters.noSession,
        reuse: state.counters.reuseRejections,
        counters,
        events,
      };
    };
    const before = await snapshot();
    await waitForRefreshes(server, before.refreshes + rotations, timeout * rotations);
    await sleep(settleMs);
    const after = await snapshot();

    const log = (state.refreshLog.alice ?? []).filter((at) => at > before.at && at <= after.at);
    const gaps = log.slice(1).map((at, i) => at - log[i]!);
    const lockNames: Record<string, number> = {};
    for (const [i, counters] of after.counters.entries()) {
      for (const [name, count] of Object.entries(counters.lockRequests)) {
        const key = name.replace(/^sessionkeeper:?/, '') || '(presence)';
        lockNames[key] =
          (lockNames[key] ?? 0) + count - (before.counters[i]!.lockRequests[name] ?? 0);
      }
    }
    return {
      tabs,
      tokenSeconds,
      rotations: after.refreshes - before.refreshes,
      refreshRequests: after.requests - before.requests,
      reuse: after.reuse - before.reuse,
      revoked: server.mock.state.snapshot().sessions.filter((session) => session.revoked).length,
      minGapMs: gaps.length === 0 ? Number.NaN : Math.min(...gaps),
      windowMs: after.at - before.at,
      perTab: after.counters.map((counters, i) => ({
        ...minus(counters, before.counters[i]!),
        localRefreshes: after.events[i]!.local - before.events[i]!.local,
        remoteRefreshes: after.events[i]!.remote - before.events[i]!.remote,
      })),
      lockNames,
      statuses: await Promise.all(pages.map(statusOf)),
      visibility: await Promise.all(
        pages.map((page) => page.evaluate(() => document.visibilityState)),
      ),
    };
  } finally {
    await browser.close();
  }
}
