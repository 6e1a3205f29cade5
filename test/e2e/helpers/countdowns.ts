import type { Page } from 'playwright-core';

/**
 * Read two elements' texts at every animation frame for `ms` and return each frame where they
 * differ (after `normalize`). Two countdowns to one instant must never differ.
 */
export function countdownDisagreements(
  page: Page,
  selectors: [string, string],
  ms: number,
): Promise<string[][]> {
  return page.evaluate(
    ([a, b, duration]) =>
      new Promise<string[][]>((resolve) => {
        const seconds = (selector: string) =>
          /(\d+) s/.exec(document.querySelector(selector)?.textContent ?? '')?.[1] ?? '?';
        const differences: string[][] = [];
        const end = performance.now() + duration;
        const frame = () => {
          const pair = [seconds(a), seconds(b)];
          if (pair[0] !== pair[1]) differences.push(pair);
          if (performance.now() < end) requestAnimationFrame(frame);
          else resolve(differences);
        };
        requestAnimationFrame(frame);
      }),
    [selectors[0], selectors[1], ms] as const,
  );
}

/**
 * Read an element's text at every animation frame for `ms` and return each different text, in
 * the order seen: a countdown that stands still gives one.
 */
export function textsDuring(page: Page, selector: string, ms: number): Promise<string[]> {
  return page.evaluate(
    ([target, duration]) =>
      new Promise<string[]>((resolve) => {
        const seen: string[] = [];
        const end = performance.now() + duration;
        const frame = () => {
          const text = document.querySelector(target)?.textContent ?? '';
          if (seen.at(-1) !== text) seen.push(text);
          if (performance.now() < end) requestAnimationFrame(frame);
          else resolve(seen);
        };
        requestAnimationFrame(frame);
      }),
    [selector, ms] as const,
  );
}
