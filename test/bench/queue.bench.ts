import { bench, describe } from 'vitest';
import { createSession } from '../../src/index';
import { createFakeServer } from '../helpers/server';
import { ORIGIN } from '../helpers/session';

/**
 * Holding requests while the session is expired: the time to hold N `getAccessToken()` calls,
 * the heap each held call costs, and the time to hand all of them the new token after the same
 * user signs in again. Printed for 2,000 and 20,000 (the growth must stay linear); the bench
 * times one whole round of 2,000.
 */
async function holdAndRelease(count: number) {
  const server = createFakeServer({ origin: ORIGIN, accessTtlS: 3_600 });
  const session = createSession({
    refresh: `${ORIGIN}/token`,
    crossTab: false,
    queue: { maxSize: count },
    env: {
      fetch: server.fetch,
      window: null,
      BroadcastChannel: null,
      locks: null,
      indexedDB: null,
    },
  });
  await session.login(server.login('alice'));
  session.expire();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const held: Promise<string>[] = [];
  for (let i = 0; i < count; i++) held.push(session.getAccessToken());
  const holdMs = performance.now() - started;
  gc?.();
  const heapPerRequest = (process.memoryUsage().heapUsed - heapBefore) / count;
  const releasing = performance.now();
  await session.login(server.login('alice'));
  await Promise.all(held);
  const releaseMs = performance.now() - releasing;
  session.destroy();
  return { holdMs, releaseMs, heapPerRequest };
}

const report = async (count: number) => {
  const { holdMs, releaseMs, heapPerRequest } = await holdAndRelease(count);
  const heap = (heapPerRequest / 1024).toFixed(2);
  console.log(
    `hold ${count}: ${holdMs.toFixed(1)} ms to hold, ${releaseMs.toFixed(1)} ms to release, ` +
      `${heap} kB heap per held request${(globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc: rough)'}`,
  );
  return holdMs;
};

const small = await report(2_000);
const large = await report(20_000);
console.log(`hold 20,000 / hold 2,000: ${(large / small).toFixed(1)}x (linear: ≤ 12x)`);

describe('the request queue while expired', () => {
  bench('hold 2,000 requests, then release them at the re-login', async () => {
    await holdAndRelease(2_000);
  });
});
