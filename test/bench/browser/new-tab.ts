import type { Page } from 'playwright-core';
import type { Browser } from '../../e2e/helpers/browser';
import type { BenchServer } from './server';
import { sleep } from './stats';
import { openTab } from './tabs';

/** One new tab opened next to signed-in tabs: its start-up, in ms from navigation start. */
export interface NewTabSample {
  /** Navigation start → the session is `authenticated` (its `ready` mark). */
  endToEnd: number;
  /** The library's part: its modules start evaluating → ready. */
  library: number;
  /** Evaluating the library's modules (zod, ky, sessionkeeper): import start → main body. */
  imports: number;
  /** `createSession()` itself (synchronous). */
  create: number;
  /** `createSession()` returned → ready (waiting for an open tab's answer). */
  wait: number;
  /** When the entry script started (its responses, parsing and compiling before it). */
  scriptStart: number;
  /** `locks.query()` calls and their durations. */
  queryMs: number[];
  /** The tab's `ask` posted → an `answer` delivered (null: none). */
  askToAnswer: number | null;
  /** The first status after `initializing`. */
  status: string;
  /** Refresh requests it sent (0: it took the session from an open tab). */
  refreshFetches: number;
  /** From node: `newPage()` called → the page says `authenticated` (Playwright's overhead too). */
  fromNode: number;
  /** Navigation start → the first authorized request answered 200 (NaN: none). */
  firstRequest: number;
  /** Answers to its question that arrived within 250 ms of its start (one per open tab, or one). */
  answers: number;
  /** The library's timeline, in ms from its modules' start: each step's end. */
  timeline: { imported: number; created: number; asked: number; answered: number; ready: number };
  /** The answering tab's part: the ask posted → it arrived there → the answer posted there (ms). */
  answerer: { received: number; answered: number } | null;
}

/** Read a started bench page's marks and counters. */
export async function startupOf(page: Page): Promise<Omit<NewTabSample, 'fromNode' | 'answerer'>> {
  return page.evaluate(async () => {
    const status = await window.__bench.ready;
    const mark = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
    const ready = mark('sk:ready');
    const importStart = mark('sk:import-start');
    const counters = window.__counters;
    return {
      endToEnd: ready,
      library: ready - importStart,
      imports: mark('sk:import-end') - importStart,
      create: mark('sk:created') - mark('sk:create'),
      wait: ready - mark('sk:created'),
      scriptStart: importStart,
      queryMs: [...counters.queryMs],
      askToAnswer:
        counters.askAt !== null && counters.answerAt !== null
          ? counters.answerAt - counters.askAt
          : null,
      status,
      refreshFetches: counters.fetches['/auth/refresh'] ?? 0,
      answers: counters.messagesIn.answer ?? 0,
      firstRequest: mark('sk:first-request'),
      timeline: {
        imported: mark('sk:import-end') - importStart,
        created: mark('sk:created') - importStart,
        asked: (counters.askAt ?? NaN) - importStart,
        answered: (counters.answerAt ?? NaN) - importStart,
        ready: ready - importStart,
      },
    };
  });
}

/**
 * With the signed-in tabs of `browser` open, open `count` new tabs on the bench page one after
 * the other (each closed after it was measured, so the number of open tabs stays the same),
 * after `warmup` unmeasured ones (the browser's cache and compiled code warm, as for a user's
 * next tab). `query`: the bench page's options (see main.ts).
 */
export async function measureNewTabs(
  server: BenchServer,
  browser: Browser,
  count: number,
  query = '?request=1',
  warmup = 2,
): Promise<NewTabSample[]> {
  const samples: NewTabSample[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const opened = performance.now();
    const page = await openTab(browser, server.page('min', 'index', query));
    await page.evaluate(() => window.__bench.whenStatus('authenticated'));
    const fromNode = performance.now() - opened;
    // Late answers too: another tab answers when the leader's answer did not come in 60-120 ms.
    await sleep(250);
    const sample = await startupOf(page);
    const answerer = await answererOf(page, browser);
    await page.close();
    if (i >= warmup) samples.push({ ...sample, fromNode, answerer });
  }
  return samples;
}

/** When the tab that answered `page`'s first question got it and posted its answer. */
async function answererOf(page: Page, browser: Browser): Promise<NewTabSample['answerer']> {
  const logOf = (tab: Page) => tab.evaluate(() => window.__counters?.questionLog ?? []);
  const asked = (await logOf(page)).find((entry) => entry.type === 'ask' && entry.dir === 'out');
  if (!asked) return null;
  for (const tab of browser.context.pages()) {
    if (tab === page) continue;
    const log = await logOf(tab);
    const answered = log.find((e) => e.type === 'answer' && e.dir === 'out' && e.at >= asked.at);
    if (!answered) continue;
    const received = log
      .filter((e) => e.type === 'ask' && e.dir === 'in' && e.at <= answered.at)
      .at(-1);
    return { received: (received?.at ?? NaN) - asked.at, answered: answered.at - asked.at };
  }
  return null;
}
