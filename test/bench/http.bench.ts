import ky from 'ky';
import { bench, describe } from 'vitest';
import { skipAuthHook } from '../../src/http/client';
import { createSession, type SessionOptions } from '../../src/index';
import { createManualClock } from '../helpers/manual-clock';
import { jwt } from '../helpers/server';
import { MemoryStorage } from '../helpers/storage';
import { FakeWindow } from '../helpers/window';

const ORIGIN = 'https://app.test';
const API = `${ORIGIN}/api`;
const ACCESS_TTL_S = 3600;

function tokenResponse(now: number, n: number) {
  const iat = Math.floor(now / 1000);
  return {
    access_token: jwt({ sub: 'alice', iat, exp: iat + ACCESS_TTL_S, n }),
    expires_in: ACCESS_TTL_S,
    refresh_token: `rt-${n}`,
  };
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });

/** An in-memory server: `/token` answers (after `tokenGate`, when set), everything else `{}`. */
function memoryServer(now: () => number) {
  const stats = { refresh: 0, api: 0, lastApiAt: 0 };
  let tokenGate: Promise<void> | null = null;
  let issued = 0;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/token')) {
      stats.refresh++;
      if (tokenGate) await tokenGate;
      return json(tokenResponse(now(), ++issued));
    }
    stats.api++;
    stats.lastApiAt = performance.now();
    void init;
    return json({ ok: true });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    stats,
    holdToken() {
      let release = () => {};
      tokenGate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return release;
    },
  };
}

async function signedInSession(
  server: ReturnType<typeof memoryServer>,
  env = {},
  options: Partial<SessionOptions> = {},
) {
  const session = createSession({
    refresh: `${ORIGIN}/token`,
    crossTab: false,
    http: { prefix: API },
    ...options,
    env: {
      fetch: server.fetch,
      window: new FakeWindow(ORIGIN),
      localStorage: new MemoryStorage(),
      sessionStorage: new MemoryStorage(),
      BroadcastChannel: null,
      locks: null,
      indexedDB: null,
      ...env,
    },
  });
  await session.login(tokenResponse(Date.now(), 0));
  return session;
}

// --- 1. Per-request overhead of session.http against a bare ky instance, same in-memory fetch.
// Two more clients split the overhead: ky with only the skip-auth hook (what ky itself charges
// for running one beforeRequest hook), and ky over session.fetch without the hook. A fifth is
// session.http with a custom `isUnauthorized` (what the copy and the await of a check cost).
const overheadServer = memoryServer(() => Date.now());
const overheadSession = await signedInSession(overheadServer);
const checkedSession = await signedInSession(overheadServer, undefined, {
  isUnauthorized: (response) => response.status === 401,
});
const kyOn = (fetch: typeof globalThis.fetch, hooks = {}) =>
  ky.create({ prefix: API, fetch, timeout: false, hooks });
const clients = {
  bare: kyOn(overheadServer.fetch),
  hookOnly: kyOn(overheadServer.fetch, { beforeRequest: [skipAuthHook] }),
  fetchOnly: kyOn(overheadSession.fetch as typeof globalThis.fetch),
  session: overheadSession.http,
  checked: checkedSession.http,
};
type Client = keyof typeof clients;
const REQUESTS_PER_SAMPLE = 1_000;
const ROUNDS = 15;

async function msPerRequest(client: Client): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS_PER_SAMPLE; i++) await clients[client].get('item').json();
  return (performance.now() - t0) / REQUESTS_PER_SAMPLE;
}

{
  const names = Object.keys(clients) as Client[];
  for (let i = 0; i < 3; i++) for (const name of names) await msPerRequest(name); // JIT warm-up
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<
    Client,
    number[]
  >;
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so drift (GC, JIT, other load) does not favour one client.
    const order = names.map((_, i) => names[(i + round) % names.length] as Client);
    const ms = {} as Record<Client, number>;
    for (const name of order) ms[name] = await msPerRequest(name);
    for (const name of names) samples[name].push(ms[name]);
    ratios.push(ms.session / ms.bare);
  }
  const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
  const best = (name: Client) => sorted(samples[name])[0] ?? 0;
  const us = (name: Client) => `${(best(name) * 1000).toFixed(1)} µs`;
  const median = sorted(ratios)[Math.floor(ratios.length / 2)] ?? 0;
  console.log(
    `http overhead: bare ky ${us('bare')}, session.http ${us('session')} per GET (best of ${ROUNDS} ` +
      `rotated samples of ${REQUESTS_PER_SAMPLE}) -> ratio ${(best('session') / best('bare')).toFixed(3)} ` +
      `(median per-round ratio ${median.toFixed(3)}). Split: ky + skip-auth hook alone ${us('hookOnly')}, ` +
      `ky over session.fetch without the hook ${us('fetchOnly')}; with a custom isUnauthorized ` +
      `${us('checked')}`,
  );
}

// --- 2. 1,000 concurrent requests at expiry: one refresh, then the fan-out.
const CONCURRENT = 1_000;

async function burstAtExpiry() {
  const clock = createManualClock(Date.now());
  const server = memoryServer(clock.now);
  const session = await signedInSession(server, {
    now: clock.now,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
  });
  clock.jump(ACCESS_TTL_S * 1000 + 1); // asleep past the expiry: found expired at use time
  const release = server.holdToken();
  let refreshedAt = 0;
  session.on('refresh', () => {
    refreshedAt = performance.now();
  });
  const calls = Array.from({ length: CONCURRENT }, (_, i) => session.http.get(`r/${i}`).json());
  while (session.getSnapshot().pendingRequests < CONCURRENT) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  release();
  await Promise.all(calls);
  session.destroy();
  if (server.stats.api !== CONCURRENT) throw new Error(`sent ${server.stats.api} requests`);
  return { refreshCalls: server.stats.refresh, fanOutMs: server.stats.lastApiAt - refreshedAt };
}

{
  await burstAtExpiry(); // warm-up
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await burstAtExpiry());
  const fanOut = runs.map((r) => r.fanOutMs).sort((a, b) => a - b);
  console.log(
    `http burst: ${CONCURRENT} concurrent requests at expiry -> refresh calls ` +
      `${[...new Set(runs.map((r) => r.refreshCalls))].join('/')}; refresh resolved -> last request ` +
      `dispatched: median ${fanOut[2]?.toFixed(1)} ms (min ${fanOut[0]?.toFixed(1)}, max ` +
      `${fanOut[4]?.toFixed(1)}) over ${runs.length} runs`,
  );
}

describe('session.http against bare ky (one GET, in-memory fetch)', () => {
  bench('bare ky', async () => {
    await clients.bare.get('item').json();
  });
  bench('session.http', async () => {
    await clients.session.get('item').json();
  });
});

describe(`${CONCURRENT} concurrent requests at expiry`, () => {
  bench('one refresh, then all requests sent', async () => {
    const { refreshCalls } = await burstAtExpiry();
    if (refreshCalls !== 1) throw new Error(`${refreshCalls} refresh calls`);
  });
});
