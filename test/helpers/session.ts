import { vi } from 'vitest';
import {
  createSession,
  type DraftStore,
  type IdleTimer,
  type Session,
  type SessionOptions,
} from '../../src/index';
import { createFakeServer, type FakeServerOptions } from './server';
import { MemoryStorage } from './storage';
import { FakeWindow } from './window';

export const ORIGIN = 'https://app.test';
export const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

/** Fake timers with the clock at T0 (also fakes Date). */
export function useFakeClock() {
  vi.useFakeTimers({
    now: T0,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
}

/** A session whose `drafts`/`idle` are typed as given (not `| null`) when the test gave them. */
export type SessionWith<O> = Session &
  (O extends { drafts: DraftStore } ? { readonly drafts: DraftStore } : unknown) &
  (O extends { idle: IdleTimer } ? { readonly idle: IdleTimer } : unknown);

/**
 * A session against the fake token server, with every browser dependency injected. Cross-tab is
 * off unless the options turn it on. Modules (`drafts: createDraftStore()`, `idle:
 * createIdleTimer()`) take the session's env.
 */
export function setupSession<O extends Partial<SessionOptions>>(
  options: O = {} as O,
  serverOptions: FakeServerOptions = {},
) {
  const server = createFakeServer({ origin: ORIGIN, ...serverOptions });
  const win = new FakeWindow(ORIGIN);
  const localStorage = new MemoryStorage();
  const sessionStorage = new MemoryStorage();
  const session = createSession({
    refresh: `${ORIGIN}/token`,
    crossTab: false,
    ...options,
    env: {
      fetch: server.fetch,
      window: win,
      localStorage,
      sessionStorage,
      BroadcastChannel: null,
      locks: null,
      indexedDB: null,
      random: () => 0.5,
      ...options.env,
    },
  });
  return {
    session: session as SessionWith<O>,
    server,
    win,
    localStorage,
    sessionStorage,
    ...recordEvents(session),
  };
}

const RECORDED = ['login', 'refresh', 'refresh-failed', 'expired', 'logout', 'error'] as const;

/** Record the session's main events; `ofType(type)` gives the payloads of one type, in order. */
export function recordEvents(session: Session) {
  const events: { type: string; event: unknown }[] = [];
  for (const type of RECORDED) session.on(type, (event) => events.push({ type, event }));
  const ofType = (type: string) => events.filter((e) => e.type === type).map((e) => e.event);
  return { events, ofType };
}

/** Let promise chains settle without moving the clock. */
export async function flush(rounds = 20) {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
}
