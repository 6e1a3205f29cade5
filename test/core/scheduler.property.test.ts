import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '../../src/index';
import { createFakeServer } from '../helpers/server';
import { ORIGIN, T0 } from '../helpers/session';
import { FakeWindow } from '../helpers/window';

afterEach(() => vi.useRealTimers());

type Step =
  | { kind: 'advance'; ms: number }
  | {
      kind: 'sleep';
      ms: number;
      wake: 'visibilitychange' | 'focus' | 'online' | 'pageshow' | 'none';
    }
  | { kind: 'token' }
  | { kind: 'visible'; visible: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 600_000 }) }),
  fc.record({
    kind: fc.constant('sleep' as const),
    ms: fc.integer({ min: 1, max: 6 * 3_600_000 }),
    wake: fc.constantFrom('visibilitychange', 'focus', 'online', 'pageshow', 'none'),
  }),
  fc.record({ kind: fc.constant('token' as const) }),
  fc.record({ kind: fc.constant('visible' as const), visible: fc.boolean() }),
);

describe('scheduler properties', () => {
  it('never more than one refresh in flight; getAccessToken never hands out a token expired by the clock', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 5, max: 7_200 }), // access token lifetime, s
        fc.integer({ min: 0, max: 3_000 }), // server latency, ms
        fc.array(step, { minLength: 1, maxLength: 25 }),
        async (ttl, latency, steps) => {
          vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
          const server = createFakeServer({
            origin: ORIGIN,
            accessTtlS: ttl,
            refreshTtlS: 30 * 86_400,
          });
          const expiry = new Map<string, number>();
          let inFlight = 0;
          let maxInFlight = 0;
          const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
            const isRefresh = String(input instanceof Request ? input.url : input).endsWith(
              '/token',
            );
            if (isRefresh) maxInFlight = Math.max(maxInFlight, ++inFlight);
            try {
              await new Promise((resolve) => setTimeout(resolve, latency));
              const response = await server.fetch(input, init);
              if (isRefresh && response.ok) {
                const body = await response.clone().json();
                expiry.set(body.access_token, Date.now() + body.expires_in * 1000);
              }
              return response;
            } finally {
              if (isRefresh) inFlight--;
            }
          };
          const win = new FakeWindow(ORIGIN);
          const session = createSession({
            refresh: `${ORIGIN}/token`,
            crossTab: false,
            env: {
              fetch: fetch as typeof globalThis.fetch,
              window: win,
              BroadcastChannel: null,
              locks: null,
              indexedDB: null,
            },
          });
          const login = server.login('alice');
          expiry.set(login.access_token, Date.now() + ttl * 1000);
          await session.login(login);
          try {
            for (const s of steps) {
              if (s.kind === 'advance') await vi.advanceTimersByTimeAsync(s.ms);
              else if (s.kind === 'sleep') {
                vi.setSystemTime(Date.now() + s.ms);
                if (s.wake !== 'none') win.fire(s.wake);
                await vi.advanceTimersByTimeAsync(0);
              } else if (s.kind === 'visible') win.setVisible(s.visible);
              else {
                const pending = session.getAccessToken();
                let token: string | undefined;
                let handedAt = 0;
                pending.then((t) => {
                  token = t;
                  handedAt = Date.now();
                });
                // Let the refresh (if one is needed) complete, one latency at a time.
                for (let i = 0; i < 5 && token === undefined; i++)
                  await vi.advanceTimersByTimeAsync(latency + 1);
                expect(token).toBeDefined();
                // At the moment it was handed out, the token was within its lifetime.
                expect(expiry.get(token as string)).toBeGreaterThan(handedAt);
              }
              expect(maxInFlight).toBeLessThanOrEqual(1);
            }
          } finally {
            session.destroy();
            vi.useRealTimers();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
