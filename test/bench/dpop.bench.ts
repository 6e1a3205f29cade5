import { generateKeyPair, generateProof } from 'dpop';
import { IDBFactory } from 'fake-indexeddb';
import ky from 'ky';
import { bench, describe } from 'vitest';
import { createDpop } from '../../src/dpop/index';
import { createSession, type SessionOptions } from '../../src/index';
import { jwt } from '../helpers/server';
import { MemoryStorage } from '../helpers/storage';
import { FakeWindow } from '../helpers/window';

// The per-request cost of DPoP: session.http with `createDpop()` against the bearer path and
// bare ky, on one in-memory fetch (no network, no server-side checks: the client's work only),
// with Node's WebCrypto (in a browser each WebCrypto call is a task of its own, so expect more).

const ORIGIN = 'https://app.test';
const API = `${ORIGIN}/api`;

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });

const memoryFetch = (async () => json({ ok: true })) as unknown as typeof fetch;

function tokenResponse(tokenType: 'Bearer' | 'DPoP') {
  const iat = Math.floor(Date.now() / 1000);
  return {
    access_token: jwt({ sub: 'alice', iat, exp: iat + 3600 }),
    token_type: tokenType,
    expires_in: 3600,
    refresh_token: 'rt-1',
  };
}

async function signedInSession(options: Partial<SessionOptions>, tokenType: 'Bearer' | 'DPoP') {
  const session = createSession({
    refresh: `${ORIGIN}/token`,
    crossTab: false,
    http: { prefix: API },
    ...options,
    env: {
      fetch: memoryFetch,
      window: new FakeWindow(ORIGIN),
      localStorage: new MemoryStorage(),
      sessionStorage: new MemoryStorage(),
      BroadcastChannel: null,
      locks: null,
      indexedDB: new IDBFactory(),
    },
  });
  // With DPoP: the sign-in's key first (its code exchange would have made it), then the login.
  await session.dpop?.thumbprint();
  await session.login(tokenResponse(tokenType));
  await session.dpop?.thumbprint(); // the session's key read: every request signs at once
  return session;
}

const bearerSession = await signedInSession({}, 'Bearer');
const dpopSession = await signedInSession({ dpop: createDpop() }, 'DPoP');
const clients = {
  bare: ky.create({ prefix: API, fetch: memoryFetch, timeout: false }),
  bearer: bearerSession.http,
  dpop: dpopSession.http,
};
type Client = keyof typeof clients;

// What one request's proof costs by itself, and the signature in it.
const keyPair = await generateKeyPair('ES256');
const accessToken = tokenResponse('DPoP').access_token;
const tasks = {
  proof: () => generateProof(keyPair, `${API}/item`, 'GET', undefined, accessToken),
  sign: () =>
    crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      keyPair.privateKey,
      new TextEncoder().encode(accessToken),
    ),
  ...Object.fromEntries(
    (Object.keys(clients) as Client[]).map((name) => [
      name,
      () => clients[name].get('item').json(),
    ]),
  ),
} as Record<'proof' | 'sign' | Client, () => Promise<unknown>>;
type Task = keyof typeof tasks;

const PER_SAMPLE = 300;
const ROUNDS = 9;

async function usPerCall(task: Task): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < PER_SAMPLE; i++) await tasks[task]();
  return ((performance.now() - t0) / PER_SAMPLE) * 1000;
}

{
  const names = Object.keys(tasks) as Task[];
  for (let i = 0; i < 3; i++) for (const name of names) await usPerCall(name); // JIT warm-up
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    Task,
    number[]
  >;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotated, so that drift (GC, JIT, other load) favours no task.
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length] as Task;
      samples[name].push(await usPerCall(name));
    }
  }
  const best = (name: Task) => Math.min(...samples[name]);
  const us = (name: Task) => `${best(name).toFixed(1)} µs`;
  console.log(
    `dpop overhead: per GET (best of ${ROUNDS} rotated samples of ${PER_SAMPLE}) bare ky ${us('bare')}, ` +
      `session.http bearer ${us('bearer')}, session.http DPoP ${us('dpop')} ` +
      `(+${(best('dpop') - best('bearer')).toFixed(1)} µs per request). Of it: one proof ` +
      `(panva's dpop: JWK export, SHA-256 of the token, ECDSA P-256 signature) ${us('proof')}, ` +
      `the signature alone ${us('sign')}`,
  );
}

describe('session.http: bearer against DPoP (one GET, in-memory fetch)', () => {
  bench('bare ky', async () => {
    await clients.bare.get('item').json();
  });
  bench('session.http, bearer', async () => {
    await clients.bearer.get('item').json();
  });
  bench('session.http, DPoP', async () => {
    await clients.dpop.get('item').json();
  });
  bench('one DPoP proof alone', async () => {
    await tasks.proof();
  });
});
