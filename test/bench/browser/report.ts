import type { StartupProfile } from './cpu';
import type { HeapAttribution, HeapPage } from './heap';
import type { NewTabSample } from './new-tab';
import type { RotationRun, TabActivity } from './rotations';
import { distribution, finite, fixed, kB, median, spread, sum } from './stats';

const perRotation = (run: RotationRun, pick: (tab: TabActivity) => number) =>
  run.perTab.map((tab) => pick(tab) / run.rotations);

/** Per-tab figures of the median run, busiest tab first: "[1.00, 0.00, 0.00]". */
const perTabList = (values: number[]) =>
  `[${[...values]
    .sort((a, b) => b - a)
    .map((v) => fixed(v, 2))
    .join(', ')}]`;

/** The run whose total is the median (for the per-tab shapes). */
function medianRun(runs: RotationRun[], pick: (tab: TabActivity) => number) {
  const totals = runs.map((run) => sum(perRotation(run, pick)));
  const m = median(totals);
  return runs[totals.findIndex((t) => t >= m)] ?? runs[0]!;
}

/** Lines for the rotations of one tab count over `runs` repeats. */
export function rotationLines(runs: RotationRun[]): string[] {
  const first = runs[0]!;
  const head = `browser rotations, ${first.tabs} tabs`;
  const figure = (label: string, pick: (tab: TabActivity) => number) => {
    const totals = runs.map((run) => sum(perRotation(run, pick)));
    const perTab = runs.map((run) => sum(perRotation(run, pick)) / run.tabs);
    return (
      `${head}: ${label} per rotation: ${spread(totals, 2)} in all, ${spread(perTab, 2)} per tab, ` +
      `by tab ${perTabList(perRotation(medianRun(runs, pick), pick))}`
    );
  };
  const requestsPer = runs.map((run) => run.refreshRequests / Math.max(1, run.rotations));
  const perMinute = runs.map(
    (run) => sum(run.perTab.map((tab) => tab.timersFired)) / run.tabs / (run.windowMs / 60_000),
  );
  const locks = runs.map((run) =>
    Object.entries(run.lockNames)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name} ${fixed(n / run.rotations, 2)}`)
      .join(', '),
  );
  const notAuthenticated = runs.flatMap((run) => run.statuses.filter((s) => s !== 'authenticated'));
  const hidden = runs.flatMap((run) => run.visibility.filter((v) => v !== 'visible'));
  return [
    `${head}: ${runs.map((run) => run.rotations).join('+')} rotations of ${first.tokenSeconds} s tokens ` +
      `(${runs.length} run${runs.length > 1 ? 's' : ''}): ` +
      `${spread(requestsPer, 2)} refresh requests per rotation, ` +
      `${sum(runs.map((run) => run.reuse))} reuse, ${sum(runs.map((run) => run.revoked))} revoked, ` +
      `closest refreshes ${spread(
        runs.map((run) => run.minGapMs),
        0,
      )} ms apart` +
      (notAuthenticated.length > 0 ? `, NOT AUTHENTICATED at the end: ${notAuthenticated}` : '') +
      (hidden.length > 0 ? `, hidden tabs: ${hidden.length}` : ''),
    figure('timer callbacks', (tab) => tab.timersFired),
    figure('timers armed', (tab) => tab.timersSet),
    figure('lock requests', (tab) => tab.lockRequests),
    `${head}: locks requested per rotation by name: ${locks.join(' | ')}`,
    figure('messages delivered', (tab) => tab.messagesIn),
    figure('messages posted', (tab) => tab.messagesOut),
    figure('refresh requests sent', (tab) => tab.refreshFetches),
    figure('IndexedDB transactions', (tab) => tab.idbTransactions),
    `${head}: timer callbacks per tab per minute: ${spread(perMinute, 1)}`,
  ];
}

/** Lines for the new tabs' start-up. */
export function newTabLines(samples: NewTabSample[], open: number, tokens = 'memory'): string[] {
  const pick = (f: (s: NewTabSample) => number | null) => finite(samples, f);
  const queries = samples.flatMap((s) => s.queryMs);
  const statuses = [...new Set(samples.map((s) => s.status))];
  const head = `browser new tab (${open} tabs open, tokens in ${tokens})`;
  return [
    `${head}: navigation start → authenticated ${distribution(pick((s) => s.endToEnd))} ms`,
    `${head}: navigation start → first authorized request answered ${distribution(pick((s) => s.firstRequest))} ms`,
    `${head}: library part (its modules start → authenticated) ${distribution(pick((s) => s.library))} ms`,
    `${head}:   evaluating the modules ${distribution(pick((s) => s.imports))} ms, ` +
      `createSession() ${distribution(pick((s) => s.create))} ms, ` +
      `then waiting for the session ${distribution(pick((s) => s.wait))} ms`,
    `${head}:   ask → answer ${distribution(pick((s) => s.askToAnswer))} ms; ` +
      `locks.query() ${queries.length === 0 ? 'never called' : `${distribution(queries)} ms`}; ` +
      `entry script starts at ${distribution(pick((s) => s.scriptStart))} ms`,
    `${head}:   timeline (ms from the library's start, medians): modules evaluated ${fixed(median(pick((s) => s.timeline.imported)))}, ` +
      `createSession() returned ${fixed(median(pick((s) => s.timeline.created)))}, ask posted ${fixed(median(pick((s) => s.timeline.asked)))}, ` +
      `answer delivered ${fixed(median(pick((s) => s.timeline.answered)))}, ready ${fixed(median(pick((s) => s.timeline.ready)))}`,
    `${head}:   the answering tab (ms after the ask was posted): got the ask ${distribution(pick((s) => s.answerer?.received ?? null))}, ` +
      `posted its answer ${distribution(pick((s) => s.answerer?.answered ?? null))}`,
    `${head}: from node, newPage() → authenticated ${distribution(pick((s) => s.fromNode))} ms ` +
      '(Playwright and page.goto included)',
    `${head}: first status ${statuses.join(', ')}; refresh requests sent by new tabs: ${sum(
      samples.map((s) => s.refreshFetches),
    )}; answers to its question per new tab ${distribution(
      pick((s) => s.answers),
      0,
    )}`,
  ];
}

/** Lines for the heap per tab and where it goes. */
export function heapLines(
  heap: Record<HeapPage, number[]>,
  where: HeapAttribution | null,
): string[] {
  const m = (kind: HeapPage) => median(heap[kind]);
  const range = (kind: HeapPage) => {
    const values = heap[kind];
    return values.length < 2
      ? ''
      : ` [${kB(Math.min(...values))}–${kB(Math.max(...values))}, n ${values.length}]`;
  };
  const lines = [
    `browser heap per tab (used JS heap after a full GC): bare page ${kB(m('bare'))}${range('bare')}, ` +
      `library imported ${kB(m('imported'))}${range('imported')}, signed in ${kB(m('signed-in'))}${range('signed-in')}`,
    `browser heap per tab: the library costs ${kB(m('signed-in') - m('bare'))}: ` +
      `${kB(m('imported') - m('bare'))} by importing it, ${kB(m('signed-in') - m('imported'))} for the signed-in session`,
  ];
  if (!where) return lines;
  const top = <T>(record: Record<string, T>, size: (v: T) => number, n: number) =>
    Object.entries(record)
      .sort(([, a], [, b]) => size(b) - size(a))
      .slice(0, n);
  lines.push(
    `browser heap attribution (unminified build imported into a bare tab, signed in): used heap +${kB(
      where.after - where.before,
    )}, live sampled allocations ${kB(where.sampled)}`,
    `browser heap by phase: ${top(where.byPhase, (v) => v, 5)
      .map(([k, v]) => `${k} ${kB(v)}`)
      .join(', ')}`,
    `browser heap by allocating code: ${top(where.byAllocator, (v) => v, 8)
      .map(([k, v]) => `${k} ${kB(v)}`)
      .join(', ')}`,
  );
  for (const [source, { total, by }] of top(where.bySource, (v) => v.total, 12)) {
    const parts = top(by, (v) => v, 3)
      .map(([k, v]) => `${k} ${kB(v)}`)
      .join(', ');
    lines.push(`browser heap from ${source}: ${kB(total)} (${parts})`);
  }
  lines.push(
    `browser heap snapshot diff by kind: ${top(where.snapshotByType, (v) => v, 10)
      .map(([k, v]) => `${k} ${kB(v)}`)
      .join(', ')}`,
    `browser heap snapshot diff, largest: ${top(where.snapshotByName, (v) => v.size, 12)
      .map(([k, v]) => `${k} ×${v.count} ${kB(v.size)}`)
      .join(', ')}`,
  );
  return lines;
}

/** Lines for the CPU profile of a new tab's library part. */
export function startupProfileLines(profile: StartupProfile): string[] {
  const top = (record: Record<string, number>, n: number) =>
    Object.entries(record)
      .sort(([, a], [, b]) => b - a)
      .slice(0, n)
      .map(([k, v]) => `${k} ${fixed(v, 1)}`)
      .join(', ');
  const head =
    'browser new tab CPU profile (unminified build imported into a bare tab, 50 µs sampling, ms)';
  return [
    `${head}: ${fixed(profile.total, 1)} busy, ${fixed(profile.createSession, 1)} with createSession on the stack`,
    `${head}: self time by code: ${top(profile.byLibrary, 8)}`,
    `${head}: sessionkeeper functions, inclusive: ${top(profile.inclusive, 10)}`,
    `${head}: self time, largest: ${top(profile.self, 10)}`,
  ];
}
