import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

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

/** `npx vitest run --config vitest.e2e.ts` runs the e2e project alone. */
export default defineConfig({ test: { projects: [e2eProject] } });
