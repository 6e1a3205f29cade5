import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The React binding's tests again, under React 18 (the npm aliases `react-18`, `react-dom-18`).
 * Added to the `projects` of vitest.config.ts. Two layers send `react`/`react-dom` (and their
 * subpaths: `react/jsx-runtime`, `react-dom/client`, `react-dom/server`) to React 18: the aliases
 * below for what vite loads (test files, sources), and test/react18/setup.ts for CommonJS that
 * Node loads itself (react-dom-18 and @testing-library/react `require('react')`, which Node would
 * resolve to React 19; `server.deps.inline` does not help there, vite leaves `require` alone).
 * test/react18/version.test.tsx proves that every layer runs 18.x.
 */
export const react18Project: TestProjectInlineConfiguration = {
  resolve: {
    alias: [
      { find: 'sessionkeeper/react', replacement: path('./src/react/index.ts') },
      { find: 'sessionkeeper/idle', replacement: path('./src/idle/index.ts') },
      { find: 'sessionkeeper/drafts', replacement: path('./src/drafts/index.ts') },
      { find: 'sessionkeeper/dpop', replacement: path('./src/dpop/index.ts') },
      { find: /^sessionkeeper$/, replacement: path('./src/index.ts') },
      { find: /^react-dom(\/.*)?$/, replacement: 'react-dom-18$1' },
      { find: /^react(\/.*)?$/, replacement: 'react-18$1' },
    ],
  },
  test: {
    name: 'react18',
    environment: 'happy-dom',
    include: ['test/react/**/*.test.{ts,tsx}', 'test/react18/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    setupFiles: ['test/react18/setup.ts'],
  },
};
