import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BROWSER_NOTICE, e2eProject, integrationProject } from './vitest.e2e.js';
import { react18Project } from './vitest.react18.js';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

// Tests import the package by its public names, resolved to the sources.
const alias = {
  'sessionkeeper/react': src('react/index.ts'),
  'sessionkeeper/idle': src('idle/index.ts'),
  'sessionkeeper/drafts': src('drafts/index.ts'),
  'sessionkeeper/oidc': src('oidc/index.ts'),
  'sessionkeeper/dpop': src('dpop/index.ts'),
  sessionkeeper: src('index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // The notice says when the real-browser tests were skipped for want of a browser.
    reporters: ['default', BROWSER_NOTICE],
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**', 'test/integration/**', 'test/react18/**'],
          restoreMocks: true,
        },
      },
      react18Project,
      integrationProject,
      e2eProject,
    ],
    benchmark: { include: ['test/bench/**/*.bench.ts'] },
  },
});
