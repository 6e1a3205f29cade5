import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleTimer } from '../../src/idle';
import { flush, setupSession, T0, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const TIMER = { timeoutMs: 600_000, promptBeforeMs: 60_000 };
/** A fresh 10-minute timer with a 1-minute prompt. */
const idleTimer = () => createIdleTimer(TIMER);

describe('the session’s idle timer', () => {
  it('is off by default', () => {
    const { session } = setupSession();
    expect(session.idle).toBeNull();
    expect(session.getSnapshot().idle).toBeNull();
  });

  it('`idle: createIdleTimer()` has a 15-minute timeout with a 60 s prompt, running while signed in', async () => {
    const { session, server } = setupSession({ idle: createIdleTimer() });
    expect(session.idle?.getState()).toBeNull();
    await session.login(server.login());
    expect(session.getSnapshot().idle).toEqual({ state: 'active', deadline: T0 + 900_000 });
    const prompts: unknown[] = [];
    session.on('idle-prompt', (e) => prompts.push(e));
    await vi.advanceTimersByTimeAsync(840_000);
    expect(prompts).toEqual([{ deadline: T0 + 900_000, remainingMs: 60_000 }]);
    expect(session.getSnapshot().idle?.state).toBe('prompted');
  });

  it('expires the session with reason idle (drafts kept, requests held); a background refresh is not activity', async () => {
    const { session, server, ofType } = setupSession({ idle: idleTimer() }, { accessTtlS: 300 });
    const seen: string[] = [];
    session.on('idle', () => seen.push('idle'));
    await session.login(server.login());
    await vi.advanceTimersByTimeAsync(600_000);
    await flush();
    expect(server.counts.refreshOk).toBeGreaterThanOrEqual(3); // refreshes kept going…
    expect(seen).toEqual(['idle']); // …and did not count as activity
    expect(ofType('expired')).toEqual([{ reason: 'idle' }]);
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'idle', idle: null });
  });

  it('activity cancels the prompt and emits active', async () => {
    const { session, server, win } = setupSession({ idle: idleTimer() });
    const active: unknown[] = [];
    session.on('active', (e) => active.push(e));
    await session.login(server.login());
    await vi.advanceTimersByTimeAsync(550_000);
    win.fire('keydown');
    expect(active).toEqual([{}]);
    expect(session.getSnapshot().idle?.state).toBe('active');
  });

  it('onIdle: logout signs out', async () => {
    const { session, server, ofType } = setupSession({
      idle: createIdleTimer({ ...TIMER, onIdle: 'logout' }),
    });
    await session.login(server.login());
    await vi.advanceTimersByTimeAsync(600_000);
    await flush();
    expect(session.getSnapshot().status).toBe('anonymous');
    expect(ofType('logout')).toHaveLength(1);
  });

  it('onIdle: a function is called instead, and the session stays', async () => {
    const onIdle = vi.fn();
    const { session, server } = setupSession({ idle: createIdleTimer({ ...TIMER, onIdle }) });
    await session.login(server.login());
    await vi.advanceTimersByTimeAsync(600_000);
    expect(onIdle).toHaveBeenCalledOnce();
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('a re-login starts a fresh timeout; a reload continues the stored one', async () => {
    const first = setupSession({ idle: idleTimer(), storage: 'session' });
    await first.session.login(first.server.login());
    await vi.advanceTimersByTimeAsync(300_000);
    first.session.destroy();
    // Reload: tokens and the last activity come back from sessionStorage.
    const again = setupSession({
      idle: idleTimer(),
      storage: 'session',
      env: { sessionStorage: first.sessionStorage, fetch: first.server.fetch },
    });
    expect(again.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      idle: { state: 'active', deadline: T0 + 600_000 },
    });
    // A new login, by contrast, counts from now.
    await again.session.login(first.server.login());
    expect(again.session.getSnapshot().idle?.deadline).toBe(T0 + 300_000 + 600_000);
  });
});
