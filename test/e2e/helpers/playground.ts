import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

const configFile = fileURLToPath(new URL('../../../playground/vite.config.ts', import.meta.url));
// Its own dependency cache: a developer's `npm run playground` never races the tests for it.
const cacheDir = fileURLToPath(new URL('../../../node_modules/.vite-e2e', import.meta.url));

/** A running playground: the Vite dev server with the mock auth server inside it. */
export interface Playground {
  /** Origin, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/**
 * Start the playground's Vite dev server on 127.0.0.1 with a free port (the mock auth server
 * is its plugin). Modules are transformed ahead of the first page load, so no test waits for
 * Vite's dependency optimizer or reloads because of it.
 */
export async function startPlayground(): Promise<Playground> {
  const server: ViteDevServer = await createServer({
    configFile,
    configLoader: 'runner',
    cacheDir,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (address === null || typeof address !== 'object') {
    await server.close();
    throw new Error('The playground server has no TCP address');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => server.close(),
  };
}
