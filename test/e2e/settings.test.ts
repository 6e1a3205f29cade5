import { expect } from 'vitest';
import { openPage, testId } from './helpers/page';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

/** The page's settings in its URL, by name. */
const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

for (const path of ['/', '/vanilla.html']) {
  test(`${path}: the idle and the lifetime settings survive each other's Apply`, async () => {
    const page = await openPage(
      playground.browser.context,
      playground.url,
      `${path}?max=600&endWarn=60`,
    );
    expect(await page.isChecked(testId('max-enabled'))).toBe(true);

    await page.fill(testId('idle-timeout'), '90');
    await page.fill(testId('idle-prompt'), '20');
    await Promise.all([page.waitForURL(/idle=90/), page.click(testId('apply-idle'))]);
    expect(params(page.url())).toEqual({ max: '600', endWarn: '60', idle: '90', prompt: '20' });
    expect(await page.inputValue(testId('max-seconds'))).toBe('600');

    await page.fill(testId('max-seconds'), '300');
    await Promise.all([page.waitForURL(/max=300/), page.click(testId('apply-lifetime'))]);
    expect(params(page.url())).toEqual({ idle: '90', prompt: '20', max: '300', endWarn: '60' });
    expect(await page.inputValue(testId('idle-timeout'))).toBe('90');

    // Idle off keeps the lifetime too.
    await page.uncheck(testId('idle-enabled'));
    await Promise.all([page.waitForURL(/idle=off/), page.click(testId('apply-idle'))]);
    expect(params(page.url())).toEqual({ idle: 'off', max: '300', endWarn: '60' });
    expect(await page.textContent(testId('idle-state'))).toBe('off');
  });
}
