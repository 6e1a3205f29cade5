import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { createMockAuth, type MockAuthHandler } from '../../../playground/server';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoSrc = fileURLToPath(new URL('../../../src', import.meta.url));

/**
 * The two builds of the bench page: `min` as an app ships it; `raw` unminified, each module's top
 * level in a function of its own (rolldown's strictExecutionOrder), so that the heap profile can
 * tell which module allocated what.
 */
export type Flavour = 'min' | 'raw';

/**
 * The pages: `index` (sessionkeeper), `bare` (no library), `oidc-client` (oidc-client-ts 3.5,
 * the same start-up for comparison).
 */
export type PageName = 'index' | 'bare' | 'oidc-client';

/** The bench pages built and served, with the mock auth server on the same origin. */
export interface BenchServer {
  /** Origin, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  origin: string;
  /** `/min/index.html`, `/raw/bare.html`, `/min/oidc-client.html`, … as a full URL. */
  page(flavour: Flavour, name: PageName, query?: string): string;
  /** The entry script of a build (to import it into a page that is already open). */
  entryScript(flavour: Flavour): string;
  /** The text of a built file (its regions name the source modules, in the `raw` build). */
  readAsset(flavour: Flavour, url: string): Promise<string>;
  /** The mock auth server: its state can be read and changed directly. */
  mock: MockAuthHandler;
  /** Where the sessionkeeper sources came from. */
  src: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Build `pages` (each `<name>.html` next to this file) in one Vite build into `outDir`, with
 * sessionkeeper resolved to `srcDir`.
 */
async function buildPages(
  srcDir: string,
  flavour: Flavour,
  outDir: string,
  pages: readonly PageName[],
  emptyOutDir: boolean,
): Promise<void> {
  await build({
    configFile: false,
    root: here,
    base: `/${flavour}/`,
    logLevel: 'warn',
    clearScreen: false,
    publicDir: false,
    plugins: [
      {
        // The package's `"sideEffects": false` would drop the page's first import, which only
        // marks the moment the library's modules start to be evaluated.
        name: 'bench-import-start',
        transform: (code, id) =>
          id.endsWith('/import-start.ts') ? { code, moduleSideEffects: true } : null,
      },
    ],
    resolve: {
      alias: {
        'sessionkeeper/idle': join(srcDir, 'idle/index.ts'),
        'sessionkeeper/drafts': join(srcDir, 'drafts/index.ts'),
        sessionkeeper: join(srcDir, 'index.ts'),
      },
    },
    build: {
      outDir,
      emptyOutDir,
      minify: flavour === 'min',
      modulePreload: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: Object.fromEntries(pages.map((name) => [name, join(here, `${name}.html`)])),
        output: { strictExecutionOrder: flavour === 'raw' },
      },
    },
  });
}

/**
 * Build the bench pages twice with Vite (sessionkeeper resolved to `src`, by default this
 * checkout's `src/`, as the playground resolves it; the oidc-client-ts page in a build of its
 * own, sharing no chunk with the others) and serve both builds and the mock auth
 * server on one 127.0.0.1 origin: one cookie jar, one BroadcastChannel and lock namespace. Assets
 * are served as an app would serve hashed files (cached for good), pages with `no-cache`.
 */
export async function startBenchServer(
  src = process.env.SK_BENCH_SRC || repoSrc,
): Promise<BenchServer> {
  const srcDir = resolve(src);
  const out = join(tmpdir(), `sessionkeeper-bench-${process.pid}-${Date.now().toString(36)}`);
  const dirs: Record<Flavour, string> = { min: join(out, 'min'), raw: join(out, 'raw') };
  const entries: Record<Flavour, string> = { min: '', raw: '' };
  for (const flavour of ['min', 'raw'] as const) {
    await buildPages(srcDir, flavour, dirs[flavour], ['index', 'bare'], true);
    // A build of its own: one build would put import-start.ts, which both pages import first, in
    // a chunk they share, one more request before either page's modules start.
    await buildPages(srcDir, flavour, dirs[flavour], ['oidc-client'], false);
    const html = await readFile(join(dirs[flavour], 'index.html'), 'utf8');
    const script = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
    if (!script) throw new Error(`No entry script in the ${flavour} build of the bench page`);
    entries[flavour] = script;
  }

  const mock = createMockAuth({ accessTtlSeconds: 60 });
  const serveFile = async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const [, flavour = '', ...rest] = path.split('/');
    const root = Object.hasOwn(dirs, flavour) ? dirs[flavour as Flavour] : undefined;
    const file = root === undefined ? '' : normalize(join(root, ...rest));
    if (root === undefined || !file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': file.endsWith('.html')
          ? 'no-cache'
          : 'public, max-age=31536000, immutable',
        'Content-Length': body.length,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  };
  const server = createServer((req, res) => mock(req, res, () => void serveFile(req, res)));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    page: (flavour, name, query = '') => `${origin}/${flavour}/${name}.html${query}`,
    entryScript: (flavour) => `${origin}${entries[flavour]}`,
    readAsset: (flavour, url) =>
      readFile(
        join(dirs[flavour], new URL(url, origin).pathname.slice(flavour.length + 2)),
        'utf8',
      ),
    mock,
    src: srcDir,
    async close() {
      mock.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await rm(out, { recursive: true, force: true });
    },
  };
}
