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

/**
 * Start recording layout shifts in the page; `read()` describes each one so far by the elements
 * that moved. New lines at the top of the event timeline (newest first) are its content arriving,
 * not the page moving: shifts of its items alone are left out.
 */
export async function watchLayoutShifts(page: Page): Promise<{ read(): Promise<string[]> }> {
  await page.evaluate(() => {
    const shifts: string[] = [];
    (window as unknown as { __layoutShifts: string[] }).__layoutShifts = shifts;
    const element = (node: Element) => `${node.tagName.toLowerCase()}.${node.className}`;
    const describe = (node: Node | null) => {
      if (node instanceof Element) return element(node);
      if (node instanceof Text && node.parentElement) {
        return `text "${node.data.slice(0, 30)}" in ${element(node.parentElement)}`;
      }
      return String(node);
    };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const sources = (entry as unknown as { sources: { node: Node | null }[] }).sources;
        const moved = sources.filter(({ node }) => {
          const at = node instanceof Text ? node.parentElement : node;
          return !(at instanceof Element && at.closest('[data-testid="timeline"]'));
        });
        if (moved.length > 0) shifts.push(moved.map(({ node }) => describe(node)).join(', '));
      }
    }).observe({ type: 'layout-shift' });
  });
  return {
    read: () =>
      page.evaluate(() => [...(window as unknown as { __layoutShifts: string[] }).__layoutShifts]),
  };
}
