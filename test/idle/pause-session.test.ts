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

  // The session is shared, and so is the pause: no tab expires it for idleness while one is
  // paused (the tabs of createBrowser() share a fake Web Lock manager).
  it('no tab expires the session while one is paused; after resume() all go on with the time held', async () => {
    const browser = createBrowser();
    const a = browser.open({ idle: createIdleTimer(TIMER) });
    const b = browser.open({ idle: createIdleTimer(TIMER) });
    await a.session.login(browser.server.login('alice'));
    await settle();
    await vi.advanceTimersByTimeAsync(100_000);
    a.session.idle?.pause(); // 500 s left
    await vi.advanceTimersByTimeAsync(3_600_000);
    await settle();
    expect(b.ofType('expired')).toEqual([]);
    expect(a.session.getSnapshot().status).toBe('authenticated');
    expect(b.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      idle: { state: 'paused', deadline: Infinity },
    });

    a.session.idle?.resume();
    await settle();
    const deadline = a.session.idle?.getState()?.deadline;
    expect(b.session.idle?.getState()).toEqual({ state: 'active', deadline });
    await vi.advanceTimersByTimeAsync(499_999);
    await settle();
    expect(b.session.getSnapshot().status).toBe('authenticated');
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    for (const tab of [a, b]) {
      expect(tab.session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'idle' });
    }
  });

  it('the paused tab closing lets the others expire the session after the time they held', async () => {
    const browser = createBrowser();
    const a = browser.open({ idle: createIdleTimer(TIMER) });
    const b = browser.open({ idle: createIdleTimer(TIMER) });
    await a.session.login(browser.server.login('alice'));
    await settle();
    a.session.idle?.pause();
    await vi.advanceTimersByTimeAsync(3_600_000);
    await settle();
    expect(b.ofType('expired')).toEqual([]);
    a.session.destroy(); // the tab is closed: its locks are freed
    await settle();
    expect(b.session.getSnapshot().idle?.state).toBe('prompted'); // held at its prompt: 60 s
    await vi.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(b.ofType('expired')).toEqual([{ reason: 'idle' }]);
  });
});
