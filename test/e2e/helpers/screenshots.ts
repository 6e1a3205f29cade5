import type { Page } from 'playwright-core';

/**
 * Save a README screenshot as `docs/<name>.png`, only when the run was asked to
 * (`SCREENSHOTS=docs`): ordinary runs leave the committed images alone.
 */
export async function saveDocScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  if (process.env.SCREENSHOTS !== 'docs') return;
  await page.screenshot({ path: `docs/${name}.png`, fullPage: options.fullPage ?? false });
}
