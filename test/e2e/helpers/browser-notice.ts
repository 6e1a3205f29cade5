import type { Reporter, TestModule } from 'vitest/node';
import { findBrowser, HOW_TO_INSTALL, WHERE_WE_LOOKED } from './find-browser';

/** The vitest projects whose tests need a real browser. */
export const BROWSER_PROJECTS = ['e2e'];

/**
 * A reporter that ends the run with one line when the real-browser tests were skipped because no
 * browser was found, saying why and how to get one. The line is written as the process exits, so
 * it comes after every other reporter's output (vitest's summary counts those tests as skipped;
 * the JSON reporter's "report written" line is logged concurrently with this hook).
 */
export default class BrowserNotice implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (findBrowser() !== null) return;
    let skipped = 0;
    for (const module of testModules) {
      if (!BROWSER_PROJECTS.includes(module.project.name)) continue;
      for (const test of module.children.allTests()) {
        if (test.result().state === 'skipped') skipped++;
      }
    }
    if (skipped === 0) return;
    const configured = process.env.CHROMIUM_PATH;
    const badPath = configured ? ` (CHROMIUM_PATH=${configured} is not an executable file)` : '';
    const line = `\nSkipped ${skipped} real-browser ${skipped === 1 ? 'test' : 'tests'} (${BROWSER_PROJECTS.join(', ')}): no Chromium found at ${WHERE_WE_LOOKED}${badPath}. To run them, ${HOW_TO_INSTALL}.\n`;
    process.once('exit', () => process.stdout.write(line));
  }
}
