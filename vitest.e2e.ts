import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/**
 * Real-browser tests of the playground: Vite started in the test process, Debian Chromium
 * driven by playwright-core. One file at a time: each starts its own Vite server and browsers.
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
  resolve: { alias: { sessionkeeper: src('index.ts') } },
  test: {
    name: 'integration',
    environment: 'node',
    include: ['test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
} satisfies TestProjectInlineConfiguration;

/** `npx vitest run --config vitest.e2e.ts` runs both projects alone. */
export default defineConfig({ test: { projects: [e2eProject, integrationProject] } });
