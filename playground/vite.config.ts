import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { oidcProviderPlugin } from './server/oidc-plugin';
import { mockAuthPlugin } from './server/plugin';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The playground: a React page (index.html) and a framework-free one (vanilla.html), both using
 * sessionkeeper through its public entry points, resolved to the sources.
 * The mock auth server runs inside the dev server (same origin, 127.0.0.1 only).
 */
export default defineConfig({
  root: here('.'),
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
  resolve: {
    alias: {
      'sessionkeeper/react': here('../src/react/index.ts'),
      'sessionkeeper/idle': here('../src/idle/index.ts'),
      'sessionkeeper/drafts': here('../src/drafts/index.ts'),
      'sessionkeeper/oidc': here('../src/oidc/index.ts'),
      'sessionkeeper/dpop': here('../src/dpop/index.ts'),
      sessionkeeper: here('../src/index.ts'),
    },
  },
  // Pre-bundled at start-up, so a first page load never finds a new dependency and reloads.
  optimizeDeps: {
    include: [
      'react',
      'react/jsx-dev-runtime',
      'react-dom/client',
      'ky',
      'zod/mini',
      'oauth4webapi',
    ],
  },
  build: {
    rolldownOptions: {
      input: {
        main: here('index.html'),
        vanilla: here('vanilla.html'),
        oidc: here('oidc.html'),
        oidcPopup: here('oidc-popup.html'),
      },
    },
  },
  // The OpenID Connect page's real provider (oidc-provider) at /idp, its API at /oidc-api.
  plugins: [mockAuthPlugin({ accessTtlSeconds: 60 }), oidcProviderPlugin({ accessTtlSeconds: 60 })],
});
