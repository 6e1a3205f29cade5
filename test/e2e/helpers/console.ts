import type { Page } from 'playwright-core';

/**
 * Record what the page's console says that a developer would see as a problem: errors (a failed
 * resource load included), warnings, and Chromium's `[DOM]` advice (e.g. a missing
 * `autocomplete` attribute).
 */
export function recordConsoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const type = message.type();
    const text = message.text();
    if (type === 'error' || type === 'warning' || text.startsWith('[DOM]')) {
      problems.push(`${type}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** Start counting layout shifts in the page; `read()` returns their values so far. */
export async function watchLayoutShifts(page: Page): Promise<{ read(): Promise<number[]> }> {
  await page.evaluate(() => {
    const shifts: number[] = [];
    (window as unknown as { __layoutShifts: number[] }).__layoutShifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        shifts.push((entry as unknown as { value: number }).value);
    }).observe({ type: 'layout-shift' });
  });
  return {
    read: () =>
      page.evaluate(() => [...(window as unknown as { __layoutShifts: number[] }).__layoutShifts]),
  };
}
