// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createViteServer } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMockAuth,
  type MockAuthHandler,
  mockAuthPlugin,
} from '../../playground/server/index';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createMockAuth as middleware', () => {
  it('calls next() for paths outside /auth, /api and /mock', async () => {
    const handler = createMockAuth();
    const url = await listen(
      createServer((req, res) =>
        handler(req, res, () => {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<p>page</p>');
        }),
      ),
    );
    expect(await (await fetch(`${url}/`)).text()).toBe('<p>page</p>');
    expect(await (await fetch(`${url}/authx/login`)).text()).toBe('<p>page</p>');
    expect((await fetch(`${url}/mock/state`)).status).toBe(200);
  });

  it('refuses clients that are not on the loopback interface', async () => {
    const handler = createMockAuth();
    const url = await listen(
      createServer((req, res) => {
        Object.defineProperty(req.socket, 'remoteAddress', { value: '192.0.2.7' });
        handler(req, res);
      }),
    );
    const res = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"alice"}',
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe('access_denied');
    expect(handler.state.counters.logins).toBe(0);
  });

  it('close() cancels pending delays, so no timer outlives the server', async () => {
    const handler: MockAuthHandler = createMockAuth({ latencyMs: 30_000 });
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    let counts: number[] = [];
    const arrived = new Promise<void>((resolve) => {
      const server = createServer((req, res) => {
        const before = timeouts();
        handler(req, res); // starts the latency timer synchronously
        const held = timeouts();
        handler.close();
        counts = [before, held, timeouts()];
        resolve();
      });
      void listen(server).then((url) =>
        fetch(`${url}/auth/login`, { method: 'POST' }).catch(() => undefined),
      );
    });
    await arrived;
    const [before = 0] = counts;
    expect(counts).toEqual([before, before + 1, before]);
    expect(handler.state.counters.logins).toBe(0);
  });
});

describe('options', () => {
  it('rejects lifetimes and latencies the config route would reject', () => {
    expect(() => createMockAuth({ accessTtlSeconds: 0 })).toThrow(TypeError);
    expect(() => createMockAuth({ latencyMs: -1 })).toThrow(TypeError);
    expect(() => createMockAuth({ refreshTtlSeconds: 1.5 })).toThrow(TypeError);
  });
});

describe('mockAuthPlugin', () => {
  it('serves the mock routes on the Vite dev server, and the page for other paths', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mock-auth-vite-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>playground</title>');
    const vite = await createViteServer({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [mockAuthPlugin({ accessTtlSeconds: 90 })],
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    });
    cleanups.push(() => vite.close());
    await vite.listen();
    const url = vite.resolvedUrls!.local[0]!.replace(/\/$/, '');

    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice' }),
    });
    expect(login.status).toBe(200);
    const body = await login.json();
    expect(body.expires_in).toBe(90);
    expect(login.headers.getSetCookie()[0]).toMatch(/^sk_refresh=.+; Path=\/auth;/);
    const me = await fetch(`${url}/api/me`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect((await me.json()).id).toBe('alice');
    const page = await fetch(`${url}/`);
    expect(await page.text()).toContain('<title>playground</title>');
  });
});
