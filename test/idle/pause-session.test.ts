import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleTimer } from '../../src/idle';
import { flush, setupSession, T0, useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const TIMER = { timeoutMs: 600_000, promptBeforeMs: 60_000 };

describe('a session’s paused idle timer', () => {
  it('mirrors the pause in the snapshot and does not expire the session', async () => {
    const { session, server, ofType } = setupSession({ idle: createIdleTimer(TIMER) });
    await session.login(server.login());
    await vi.advanceTimersByTimeAsync(100_000);
    session.idle.pause();
    expect(session.getSnapshot().idle).toEqual({ state: 'paused', deadline: Infinity });
    await vi.advanceTimersByTimeAsync(3_600_000);
    await flush();
    expect(session.getSnapshot().status).toBe('authenticated');
    expect(ofType('expired')).toEqual([]);

    session.idle.resume();
    const resumedAt = T0 + 3_700_000;
    expect(session.getSnapshot().idle).toEqual({ state: 'active', deadline: resumedAt + 500_000 });
    await vi.advanceTimersByTimeAsync(500_000);
    expect(ofType('expired')).toEqual([{ reason: 'idle' }]);
  });

  it('pause() during the prompt closes it: the session emits active', async () => {
    const { session, server } = setupSession({ idle: createIdleTimer(TIMER) });
    const seen: string[] = [];
    session.on('idle-prompt', () => seen.push('idle-prompt'));
    session.on('active', () => seen.push('active'));
    await session.login(server.login());
    await vi.advanceTimersByTimeAsync(550_000);
    expect(session.getSnapshot().idle?.state).toBe('prompted');
    session.idle.pause();
    expect(seen).toEqual(['idle-prompt', 'active']);
    expect(session.getSnapshot().idle?.state).toBe('paused');
  });

  it('a new sign-in ends the pause (a fresh timeout); a logout stops the timer', async () => {
    const { session, server } = setupSession({ idle: createIdleTimer(TIMER) });
    await session.login(server.login());
    session.idle.pause();
    await session.logout();
    expect(session.getSnapshot().idle).toBeNull();
    await vi.advanceTimersByTimeAsync(1_000);
    await session.login(server.login());
    expect(session.getSnapshot().idle).toEqual({ state: 'active', deadline: T0 + 601_000 });
  });

  // The pause holds in its own tab only: the session is shared, so another tab that goes idle
  // expires it here too.
  it('another tab that goes idle expires the session in the paused tab as well', async () => {
    const browser = createBrowser();
    const a = browser.open({ idle: createIdleTimer(TIMER) });
    const b = browser.open({ idle: createIdleTimer(TIMER) });
    await a.session.login(browser.server.login('alice'));
    await settle();
    a.session.idle?.pause();
    await vi.advanceTimersByTimeAsync(600_000);
    await settle();
    expect(b.ofType('expired')).toEqual([{ reason: 'idle' }]);
    expect(a.session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'idle' });
    expect(a.session.idle?.getState()).toBeNull();
  });
});
