import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/** The reporter that ends a run with one line when the real-browser tests were skipped. */
export const BROWSER_NOTICE = './test/e2e/helpers/browser-notice.ts';

/**
 * Real-browser tests of the playground: Vite started in the test process, a Chromium (see
 * test/e2e/helpers/find-browser.ts) driven by playwright-core. Skipped when there is no browser,
 * except under CI. One file at a time: each starts its own Vite server and browsers.
 */
export const e2eProject = {
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
} satisfies TestProjectInlineConfiguration;

/**
 * sessionkeeper in node against a real OAuth 2.0 / OpenID Connect server (oidc-provider) on
 * 127.0.0.1. Imports the package by its public name, resolved to the sources.
 */
export const integrationProject = {
  resolve: {
    alias: { 'sessionkeeper/dpop': src('dpop/index.ts'), sessionkeeper: src('index.ts') },
  },
  test: {
    name: 'integration',
    environment: 'node',
    include: ['test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
} satisfies TestProjectInlineConfiguration;

/** `npx vitest run --config vitest.e2e.ts` runs both projects alone. */
export default defineConfig({
  test: { reporters: ['default', BROWSER_NOTICE], projects: [e2eProject, integrationProject] },
});
