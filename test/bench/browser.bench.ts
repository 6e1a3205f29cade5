// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { bench, describe } from 'vitest';
import type { Browser } from '../e2e/helpers/browser';
import { findBrowser, HOW_TO_INSTALL, WHERE_WE_LOOKED } from '../e2e/helpers/find-browser';
import { profileStartup } from './browser/cpu';
import { attributeHeap, type HeapAttribution, type HeapPage, heapOfTab } from './browser/heap';
import { measureNewTabs, type NewTabSample } from './browser/new-tab';
import { oidcNewTabLines, sameRunLines } from './browser/oidc-client-report';
import {
  measureOidcNewTabs,
  type OidcNewTabSample,
  openOidcSignedInTabs,
} from './browser/oidc-client-tabs';
import { heapLines, newTabLines, rotationLines, startupProfileLines } from './browser/report';
import { measureRotations, type RotationRun } from './browser/rotations';
import { startBenchServer } from './browser/server';
import { launchCounted, openSignedInTabs } from './browser/tabs';

/**
 * sessionkeeper in real Chromium (tabs of one profile, the bench page built by Vite, the
 * playground's mock auth server with rotating refresh tokens and reuse detection):
 * - token rotations in 2, 5 and 10 tabs: refresh requests per rotation, reuse, and what each tab
 *   does per rotation (timer callbacks, lock requests, messages; counted by wrappers in the page);
 * - a new tab opened next to 5 signed-in tabs: navigation start → authenticated, and the
 *   library's own part of it (its modules start evaluating → authenticated);
 * - the same new tab with oidc-client-ts 3.5 (its user in localStorage; a browser of its own with
 *   5 signed-in tabs of its page, measured before sessionkeeper's in each run), side by side;
 * - used JS heap per tab (bare page, library imported, signed in) and where it goes.
 * Figures are printed as lines (the bench table's one row is the whole run). Skipped without a
 * browser. Environment: SK_BENCH_FULL=1 (10 s tokens, a rotation every 5 s, 6 rotations, 20 new
 * tabs, 3 runs of each), SK_BENCH_TABS=2,5,10 (or none), SK_BENCH_TOKEN_S, SK_BENCH_ROTATIONS,
 * SK_BENCH_NEW_TABS, SK_BENCH_OPEN_TABS (open next to a new tab; 5), SK_BENCH_HEAP (tabs per heap figure), SK_BENCH_REPEAT, SK_BENCH_SRC (the
 * sessionkeeper sources to build, e.g. an older checkout's src/), SK_BENCH_BROWSER=0 (skip).
 */

const full = process.env.SK_BENCH_FULL === '1';
const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a number > 0`);
  return value;
};
const config = {
  // `none`: no rotations, only the new tabs and the heap.
  tabs: (process.env.SK_BENCH_TABS ?? '2,5,10')
    .split(',')
    .filter((tabs) => tabs !== 'none')
    .map((tabs) => {
      const count = Number(tabs);
      if (!Number.isInteger(count) || count < 1) {
        throw new RangeError('SK_BENCH_TABS: tab counts (2,5,10) or none');
      }
      return count;
    }),
  tokenSeconds: setting('SK_BENCH_TOKEN_S', full ? 10 : 4),
  rotations: setting('SK_BENCH_ROTATIONS', full ? 6 : 4),
  newTabs: setting('SK_BENCH_NEW_TABS', full ? 20 : 10),
  heapSamples: setting('SK_BENCH_HEAP', full ? 5 : 3),
  repeat: setting('SK_BENCH_REPEAT', full ? 3 : 1),
};
/** Tabs open while a new one starts (the figure is for 5). */
const OPEN_TABS = setting('SK_BENCH_OPEN_TABS', 5);

const browserPath = process.env.SK_BENCH_BROWSER === '0' ? null : findBrowser();

/** Which sources were measured: commit, and whether src/ has changes of its own. */
function describeSources(src: string): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', src, ...args], { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', '.') !== '' ? ' with uncommitted changes' : '';
    return `${src} at ${git('rev-parse', '--short', 'HEAD')}${dirty}`;
  } catch {
    return src;
  }
}

function browserVersion(path: string): string {
  try {
    return execFileSync(path, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return path;
  }
}

if (browserPath === null) {
  console.log(
    process.env.SK_BENCH_BROWSER === '0'
      ? 'browser bench: skipped (SK_BENCH_BROWSER=0)'
      : `browser bench: skipped, no Chromium found (looked at ${WHERE_WE_LOOKED}): ${HOW_TO_INSTALL}`,
  );
}

/**
 * Measure and print every figure. Everything it starts it closes: the bench runner runs no
 * `afterAll`, and does not wait for a bench's `teardown`.
 */
async function measure(browserPath: string) {
  const started = Date.now();
  const server = await startBenchServer();
  let browser: Browser | null = null;
  try {
    console.log(
      `browser bench: ${browserVersion(browserPath)}, sessionkeeper from ${describeSources(server.src)}; ` +
        `${config.tokenSeconds} s tokens (a rotation every ${config.tokenSeconds / 2} s), ` +
        `${config.rotations} rotations per window, ${config.repeat} run(s) of each` +
        (full ? ' (SK_BENCH_FULL)' : ''),
    );
    for (const tabs of config.tabs) {
      const runs: RotationRun[] = [];
      for (let r = 0; r < config.repeat; r++) {
        runs.push(await measureRotations(server, tabs, config.tokenSeconds, config.rotations));
      }
      for (const line of rotationLines(runs)) console.log(line);
    }

    const samples: NewTabSample[] = [];
    const localSamples: NewTabSample[] = [];
    const oidcSamples: OidcNewTabSample[] = [];
    const heap: Record<HeapPage, number[]> = { bare: [], imported: [], 'signed-in': [] };
    for (let r = 0; r < config.repeat; r++) {
      await browser?.close();
      // oidc-client-ts first, while no sessionkeeper tab is open (the last browser is kept below).
      browser = await launchCounted();
      await openOidcSignedInTabs(server, browser, OPEN_TABS, 600);
      oidcSamples.push(...(await measureOidcNewTabs(server, browser, config.newTabs)));
      await browser.close();
      // sessionkeeper with tokens in localStorage (opt-in): a new tab reads them, asks nobody.
      browser = await launchCounted();
      await openSignedInTabs(server, browser, OPEN_TABS, 600, '?storage=local');
      localSamples.push(
        ...(await measureNewTabs(server, browser, config.newTabs, '?storage=local&request=1')),
      );
      await browser.close();
      browser = await launchCounted();
      // Long tokens: no rotation while the new tabs start.
      await openSignedInTabs(server, browser, OPEN_TABS, 600);
      samples.push(...(await measureNewTabs(server, browser, config.newTabs)));
      for (let i = 0; i < config.heapSamples; i++) {
        for (const kind of ['bare', 'imported', 'signed-in'] as const) {
          heap[kind].push(await heapOfTab(server, browser, kind));
        }
      }
    }
    for (const line of newTabLines(samples, OPEN_TABS)) console.log(line);
    for (const line of newTabLines(localSamples, OPEN_TABS, 'localStorage')) console.log(line);
    for (const line of oidcNewTabLines(oidcSamples, OPEN_TABS)) console.log(line);
    for (const line of sameRunLines(samples, oidcSamples, OPEN_TABS)) console.log(line);
    for (const line of sameRunLines(localSamples, oidcSamples, OPEN_TABS, 'localStorage')) {
      console.log(line);
    }
    if (browser) {
      for (const line of startupProfileLines(await profileStartup(server, browser))) {
        console.log(line);
      }
    }
    const where: HeapAttribution | null = browser ? await attributeHeap(server, browser) : null;
    for (const line of heapLines(heap, where)) console.log(line);
    console.log(`browser bench: figures took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await browser?.close();
    await server.close();
  }
}

describe.skipIf(browserPath === null)('real Chromium', () => {
  // One run of the whole measurement: the figures are the printed lines, not this row.
  bench(
    `token rotations in ${config.tabs.join(', ') || 'no'} tabs, a new tab next to ${OPEN_TABS} (and oidc-client-ts's), the heap per tab (figures above)`,
    async () => {
      if (browserPath !== null) await measure(browserPath);
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
});
