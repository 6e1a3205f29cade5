import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback } from './http';
import { createMockAuth } from './mock-auth';
import type { MockAuthState } from './state';
import type { MockAuthOptions } from './types';

export interface StartOptions extends MockAuthOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Loopback address to listen on (`127.0.0.1`, `::1` or `localhost`). @default '127.0.0.1' */
  host?: string;
}

export interface RunningMockAuth {
  /** Origin of the server, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** The live state (config, counters, sessions). */
  state: MockAuthState;
  /** Stop listening, cancel pending delays and drop open connections. */
  close(): Promise<void>;
}

/**
 * Start the mock auth server on its own `node:http` server, on loopback only.
 * @example
 * const server = await startMockAuthServer({ now: () => clock });
 * await fetch(`${server.url}/auth/login`, { method: 'POST', body: '{"username":"alice"}', ... });
 * await server.close();
 */
export async function startMockAuthServer(options: StartOptions = {}): Promise<RunningMockAuth> {
  const { port = 0, host = '127.0.0.1', ...authOptions } = options;
  if (host !== 'localhost' && !isLoopback(host)) {
    throw new Error(`The mock auth server listens on loopback only, not "${host}"`);
  }
  const handler = createMockAuth(authOptions);
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostname}:${address.port}`,
    state: handler.state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        handler.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
