import { mkdir } from 'node:fs/promises';
import { expect } from 'vitest';
import { signIn, testId, waitForStatus } from './helpers/page';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

/** A phone: 390 × 844 CSS pixels. */
const PHONE = { width: 390, height: 844 };

for (const [path, name] of [
  ['/', 'react'],
  ['/vanilla.html', 'vanilla'],
] as const) {
  test(`${path} at 390 px: sign-in on the first screen, radios with their labels, dialogs with margins`, async () => {
    const { context } = playground.browser;
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize(PHONE);
    await page.goto(`${playground.url}${path}`);
    await waitForStatus(page, 'anonymous');
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/narrow-${name}.png` });

    // The first sign-in button is inside the first screen, without scrolling.
    const button = await page.locator(testId('signin-alice')).boundingBox();
    expect(button).not.toBeNull();
    expect(button!.y + button!.height).toBeLessThanOrEqual(PHONE.height);
    expect(button!.x + button!.width).toBeLessThanOrEqual(PHONE.width);
    // Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);

    // Each radio button and its label stay on one line.
    const radioLabels = await page.$$eval('input[type="radio"]', (radios) =>
      radios.map((radio) => radio.closest('label')!.getClientRects().length),
    );
    expect(radioLabels.every((rects) => rects === 1)).toBe(true);

    // A dialog keeps a margin on both sides.
    await signIn(page, 'alice');
    await page.click(testId('expire-now'));
    await page.waitForSelector(`${testId('relogin-dialog')}[open]`);
    const dialog = await page.locator(testId('relogin-dialog')).boundingBox();
    expect(dialog!.x).toBeGreaterThanOrEqual(8);
    expect(dialog!.x + dialog!.width).toBeLessThanOrEqual(PHONE.width - 8);
    await page.screenshot({ path: `test-results/narrow-${name}-dialog.png` });
  });
}
