import type { Plugin } from 'vite';
import { createMockAuth } from './mock-auth';
import type { MockAuthOptions } from './types';

/**
 * A Vite plugin that serves the mock auth server (`/auth/*`, `/api/*`, `/mock/*`) on the dev and
 * preview servers' own origin, so the page calls it same-origin with `credentials: 'include'`.
 * Each server gets its own state and HMAC secret. Other paths fall through to Vite.
 * @example
 * // playground/vite.config.ts
 * export default defineConfig({ plugins: [mockAuthPlugin()] });
 */
export function mockAuthPlugin(options: MockAuthOptions = {}): Plugin {
  return {
    name: 'sessionkeeper-mock-auth',
    configureServer(server) {
      const handler = createMockAuth(options);
      server.middlewares.use(handler);
      server.httpServer?.on('close', () => handler.close());
    },
    configurePreviewServer(server) {
      const handler = createMockAuth(options);
      server.middlewares.use(handler);
      server.httpServer.on('close', () => handler.close());
    },
  };
}
