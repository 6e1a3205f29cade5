import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '../../src/index';
import { MAX_TIMEOUT_MS } from '../../src/lib/env';
import { flush, ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const DAY = 86_400_000;

describe('delays taken from options', () => {
  it.each([
    ['30 days', 30 * DAY],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])(
    'queue.holdTimeoutMs of %s never schedules a timer that fires at once',
    async (_, holdTimeoutMs) => {
      const delays: number[] = [];
      const { session, server } = setupSession({
        queue: { holdTimeoutMs },
        env: {
          setTimeout: (handler: () => void, ms: number) => {
            delays.push(ms);
            return setTimeout(handler, ms);
          },
          clearTimeout: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>),
        },
      });
      await session.login(server.login('alice'));
      session.expire();
      const held = session.fetch(`${ORIGIN}/api/x`);
      let settled = false;
      held.then(
        () => (settled = true),
        () => (settled = true),
      );
      await vi.advanceTimersByTimeAsync(DAY);
      expect(settled).toBe(false); // still held after a day
      expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMEOUT_MS);
      await session.login(server.login('alice'));
      expect((await held).status).toBe(200);
    },
  );

  it('a refresh endpoint timeoutMs of Infinity is capped too', async () => {
    const delays: number[] = [];
    const { session, server } = setupSession({
      refresh: { url: `${ORIGIN}/token`, timeoutMs: Number.POSITIVE_INFINITY },
      env: {
        setTimeout: (handler: () => void, ms: number) => {
          delays.push(ms);
          return setTimeout(handler, ms);
        },
        clearTimeout: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>),
      },
    });
    await session.login(server.login('alice'));
    await session.refresh();
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMEOUT_MS);
  });
});

describe('nonsensical numeric options', () => {
  it.each([
    ['queue.holdTimeoutMs', { queue: { holdTimeoutMs: Number.NaN } }],
    ['queue.holdTimeoutMs', { queue: { holdTimeoutMs: -1 } }],
    ['queue.maxSize', { queue: { maxSize: -5 } }],
    ['refreshBeforeExpiryMs', { refreshBeforeExpiryMs: Number.POSITIVE_INFINITY }],
    ['maxSessionMs', { maxSessionMs: 0 }],
    ['endWarningMs', { endWarningMs: Number.NaN }],
    ['refresh.timeoutMs', { refresh: { url: `${ORIGIN}/token`, timeoutMs: 0 } }],
  ])('%s: createSession throws a RangeError naming it', (option, options) => {
    expect(() => createSession({ refresh: `${ORIGIN}/token`, ...options })).toThrow(
      new RangeError(`createSession: ${option} is invalid`),
    );
  });
});

describe('while the session starts', () => {
  it('getAccessToken and fetch honour their AbortSignal while initializing', async () => {
    const { createBrowser, settle } = await import('../helpers/tabs');
    const browser = createBrowser();
    const a = browser.open();
    await a.session.login(browser.server.login('alice'));
    await settle();
    browser.hub.pause(); // the new tab's question goes unanswered for now
    const b = browser.open();
    await flush();
    expect(b.session.getSnapshot().status).toBe('initializing');
    const controller = new AbortController();
    const token = b.session.getAccessToken({ signal: controller.signal });
    const request = b.session.fetch(`${ORIGIN}/api/x`, { signal: controller.signal });
    controller.abort(new DOMException('The user left', 'AbortError'));
    await expect(token).rejects.toMatchObject({ name: 'AbortError' });
    await expect(request).rejects.toMatchObject({ name: 'AbortError' });
    expect(b.session.getSnapshot().status).toBe('initializing');
    browser.hub.resume();
    await settle();
    expect(browser.server.apiRequests).toEqual([]);
  });
});
