import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { watchLayoutShifts } from './helpers/console';
import { textsDuring } from './helpers/countdowns';
import { openPage, signIn, testId, waitForStatus } from './helpers/page';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

/** The seconds the session card's Idle row shows, e.g. 24 for "paused · 24 s left". */
const idleSeconds = async (page: Page) =>
  Number(/(\d+) s left$/.exec((await page.textContent(testId('idle-state'))) ?? '')?.[1]);

/** Wait until the Idle row reads `state · N s left` with N at most `most`. */
const waitForIdle = (page: Page, state: string, most = Number.POSITIVE_INFINITY) =>
  page.waitForFunction(
    ([selector, wanted, limit]) => {
      const match = /^(\w+) · (\d+) s left$/.exec(
        document.querySelector(selector)?.textContent ?? '',
      );
      return match?.[1] === wanted && Number(match[2]) <= limit;
    },
    [testId('idle-state'), state, most] as const,
  );

for (const path of ['/', '/vanilla.html']) {
  test(`${path}: pausing idle stops the countdown; resuming continues with the time that was left`, async () => {
    // Idle after 30 s without activity, warned 5 s before.
    const page = await openPage(
      playground.browser.context,
      playground.url,
      `${path}?idle=30&prompt=5`,
    );
    await signIn(page, 'alice');
    // The last activity; the pointer then rests where nothing changes under it.
    await page.mouse.move(1, 1);
    await waitForIdle(page, 'active', 27);
    const shifts = await watchLayoutShifts(page);

    // (Dispatched, here and below: a real click is activity, which would start the timeout
    // again and hide what the pause keeps.)
    await page.dispatchEvent(testId('idle-pause'), 'click');
    await waitForIdle(page, 'paused');
    expect(await page.isChecked(testId('idle-pause'))).toBe(true);
    const left = await idleSeconds(page);
    expect(left).toBeLessThanOrEqual(27);
    // The point is that nothing changes while paused: the row is read at every frame for 3 s
    // (a bounded wait, not a sleep standing in for a condition).
    expect(await textsDuring(page, testId('idle-state'), 3000)).toEqual([
      `paused · ${left} s left`,
    ]);
    await waitForStatus(page, 'authenticated', 'refreshing');

    // Resumed: the countdown goes on from where it stood, not from a full 30 s, and moves again.
    await page.dispatchEvent(testId('idle-pause'), 'click');
    await waitForIdle(page, 'active', left);
    expect(await page.isChecked(testId('idle-pause'))).toBe(false);
    const resumedAt = await idleSeconds(page);
    expect(resumedAt).toBeGreaterThanOrEqual(left - 1);
    await waitForIdle(page, 'active', resumedAt - 1);
    expect(await shifts.read()).toEqual([]);
  });
}
