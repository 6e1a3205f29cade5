import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

/** Browser commands looked for on `PATH`, in this order. */
export const BROWSER_COMMANDS = [
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
] as const;

/** Where the real-browser tests looked for a browser, in words (for the skip notice). */
export const WHERE_WE_LOOKED = `CHROMIUM_PATH, ${BROWSER_COMMANDS.join(', ')} on PATH, and Playwright's browser cache`;

/** How to get a browser, in one line. */
export const HOW_TO_INSTALL =
  'install one (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable';

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

const onPath = (command: string): string | null => {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
};

/** The Chromium that this playwright-core version would have downloaded, if it is there. */
const playwrightCache = (): string | null => {
  try {
    const path = chromium.executablePath();
    return isExecutable(path) ? path : null;
  } catch {
    // No build for this platform.
    return null;
  }
};

/**
 * The browser for the real-browser tests: `CHROMIUM_PATH`, else the first of
 * {@link BROWSER_COMMANDS} on `PATH`, else Playwright's own cache; `null` when there is none.
 */
export function findBrowser(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured && isExecutable(configured)) return configured;
  for (const command of BROWSER_COMMANDS) {
    const found = onPath(command);
    if (found) return found;
  }
  return playwrightCache();
}

/**
 * Whether a missing browser fails the run instead of skipping the real-browser tests: in CI
 * (`CI` set to anything but `false`/`0`), and when README screenshots were asked for.
 */
export function browserRequired(): boolean {
  const ci = process.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  return inCi || process.env.SCREENSHOTS === 'docs';
}
