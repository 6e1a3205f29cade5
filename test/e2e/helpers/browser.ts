import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { browserRequired, findBrowser, HOW_TO_INSTALL, WHERE_WE_LOOKED } from './find-browser';

/**
 * Flags for a headless Chromium on a machine with no network but loopback: no sandbox (tests may
 * run as root), and none of the background connections Chromium makes to Google's services.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Pages of one context behind each other must keep their timers running as a foreground tab.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** A fresh browser profile: its own cookies, storage and BroadcastChannels. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launch headless Chromium with a profile in a new temporary directory. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findBrowser();
  if (executablePath === null) {
    const why = browserRequired() ? ' (required under CI and for screenshots)' : '';
    throw new Error(`No Chromium found${why} at ${WHERE_WE_LOOKED}: ${HOW_TO_INSTALL}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'sessionkeeper-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
