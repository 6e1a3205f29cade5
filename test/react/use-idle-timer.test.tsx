import { act, render, renderHook } from '@testing-library/react';
import { type IdleTimerView, useIdleTimer } from 'sessionkeeper/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleTimer } from '../../src/idle';
import { cleanupReact, enableAct, setupReactSession } from '../helpers/react-session';
import { T0, useFakeClock } from '../helpers/session';

beforeEach(() => {
  enableAct();
  useFakeClock();
});
afterEach(cleanupReact);

/** A fresh 10-minute timer with a 1-minute prompt. */
const timer = () => createIdleTimer({ timeoutMs: 600_000, promptBeforeMs: 60_000 });

function Warning({ log }: { log: IdleTimerView[] }) {
  const view = useIdleTimer();
  log.push(view);
  if (view.state !== 'prompted') return null;
  return (
    <dialog open>
      Signing out in {Math.ceil(view.remainingMs / 1000)} s
      <button type="button" onClick={view.stayActive}>
        Stay signed in
      </button>
    </dialog>
  );
}

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('useIdleTimer', () => {
  it('throws an error naming the missing module when the session has no idle timer', () => {
    const { wrapper } = setupReactSession();
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the thrown error
    expect(() => renderHook(() => useIdleTimer(), { wrapper })).toThrow(
      "sessionkeeper/react: useIdleTimer() needs the idle module: createSession({ idle: createIdleTimer() }) with createIdleTimer from 'sessionkeeper/idle'",
    );
  });

  it('while nobody is signed in: no state, 0 ms, and stayActive does nothing', () => {
    const { wrapper } = setupReactSession({ idle: timer() });
    const { result } = renderHook(() => useIdleTimer(), { wrapper });
    expect(result.current).toEqual({
      state: null,
      remainingMs: 0,
      stayActive: expect.any(Function),
      pause: expect.any(Function),
      resume: expect.any(Function),
      getLastActiveTime: expect.any(Function),
    });
    expect(result.current.getLastActiveTime()).toBeNull();
    act(() => result.current.pause());
    expect(result.current.state).toBeNull();
    expect(() => act(() => result.current.stayActive())).not.toThrow();
  });

  it('while nobody is signed in the timer is not running, and stayActive does not start it', () => {
    const { session, wrapper } = setupReactSession({ idle: timer() });
    const { result } = renderHook(() => useIdleTimer(), { wrapper });
    expect(result.current.state).toBeNull();
    act(() => result.current.stayActive());
    expect(session.idle?.getState()).toBeNull();
    expect(result.current.state).toBeNull();
  });

  it('counts down once a second while prompted, and only then', async () => {
    const { session, server, wrapper } = setupReactSession({ idle: timer() });
    const log: IdleTimerView[] = [];
    const { getByRole } = render(<Warning log={log} />, { wrapper });
    await act(() => session.login(server.login('alice')));
    expect(log.at(-1)).toMatchObject({ state: 'active', remainingMs: 600_000 });

    // No ticking while active.
    let renders = log.length;
    await advance(539_000);
    expect(log).toHaveLength(renders);

    await advance(1_000);
    expect(log.at(-1)).toMatchObject({ state: 'prompted', remainingMs: 60_000 });
    expect(getByRole('dialog').textContent).toContain('Signing out in 60 s');
    renders = log.length;

    await advance(999);
    expect(log).toHaveLength(renders); // not yet a second
    await advance(1);
    expect(log.map((v) => v.remainingMs).slice(renders)).toEqual([59_000]);
    for (let second = 0; second < 4; second++) await advance(1_000);
    expect(log.map((v) => v.remainingMs).slice(renders)).toEqual([
      59_000, 58_000, 57_000, 56_000, 55_000,
    ]);
    expect(getByRole('dialog').textContent).toContain('Signing out in 55 s');
  });

  it('does not re-render during 10 s of activity while the state stays active', async () => {
    const { session, server, win, wrapper } = setupReactSession({ idle: timer() });
    const log: IdleTimerView[] = [];
    render(<Warning log={log} />, { wrapper });
    await act(() => session.login(server.login('alice')));
    const renders = log.length;
    for (let ms = 100; ms <= 10_000; ms += 100) {
      await advance(100);
      act(() => win.fire('mousemove'));
    }
    // The activity was seen (the deadline moved), yet the component never rendered.
    expect(session.idle?.getState()).toEqual({ state: 'active', deadline: T0 + 10_000 + 600_000 });
    expect(log).toHaveLength(renders);
  });

  it('stayActive closes the prompt and stops the countdown', async () => {
    const { session, server, wrapper } = setupReactSession({ idle: timer() });
    const log: IdleTimerView[] = [];
    const { getByRole, queryByRole } = render(<Warning log={log} />, { wrapper });
    await act(() => session.login(server.login('alice')));
    await advance(545_000);
    expect(log.at(-1)?.state).toBe('prompted');

    act(() => getByRole('button').click());
    expect(queryByRole('dialog')).toBeNull();
    expect(log.at(-1)).toMatchObject({ state: 'active', remainingMs: 600_000 });
    expect(session.idle?.getState()).toEqual({ state: 'active', deadline: T0 + 545_000 + 600_000 });
    const renders = log.length;
    await advance(10_000);
    expect(log).toHaveLength(renders);
  });

  it('at the deadline the session expires (reason idle) and the timer stops', async () => {
    const { session, server, wrapper } = setupReactSession({ idle: timer() });
    const log: IdleTimerView[] = [];
    render(<Warning log={log} />, { wrapper });
    await act(() => session.login(server.login('alice')));
    await advance(600_000);
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'idle' });
    expect(log.at(-1)).toMatchObject({ state: null, remainingMs: 0 });
    const renders = log.length;
    await advance(5_000);
    expect(log).toHaveLength(renders);
  });

  it('unmounting during the prompt leaves no timer and no listener behind', async () => {
    const { session, server, counts, wrapper } = setupReactSession({ idle: timer() });
    await act(() => session.login(server.login('alice')));
    await advance(550_000);
    expect(session.idle?.getState()?.state).toBe('prompted');
    const timersBefore = vi.getTimerCount();
    const { unmount } = render(<Warning log={[]} />, { wrapper });
    expect(vi.getTimerCount()).toBe(timersBefore + 1); // the countdown tick
    unmount();
    expect(vi.getTimerCount()).toBe(timersBefore);
    expect(counts.live).toBe(0);
  });
});

describe('useIdleTimer: pause and resume', () => {
  it('pause, resume and getLastActiveTime keep their identity across renders', async () => {
    const { session, server, wrapper } = setupReactSession({ idle: timer() });
    const log: IdleTimerView[] = [];
    render(<Warning log={log} />, { wrapper });
    await act(() => session.login(server.login('alice')));
    act(() => log.at(-1)?.pause());
    act(() => log.at(-1)?.resume());
    const first = log[0];
    const last = log.at(-1);
    expect(log.length).toBeGreaterThan(2);
    expect(last?.pause).toBe(first?.pause);
    expect(last?.resume).toBe(first?.resume);
    expect(last?.getLastActiveTime).toBe(first?.getLastActiveTime);
    expect(last?.stayActive).toBe(first?.stayActive);
  });

  it('pause() during the prompt closes it: no countdown while paused; resume() shows it again with the time left', async () => {
    const { session, server, wrapper } = setupReactSession({ idle: timer() });
    const log: IdleTimerView[] = [];
    const { queryByRole, getByRole } = render(<Warning log={log} />, { wrapper });
    await act(() => session.login(server.login('alice')));
    await advance(550_000);
    expect(getByRole('dialog').textContent).toContain('Signing out in 50 s');
    const timersWhilePrompted = vi.getTimerCount();

    act(() => log.at(-1)?.pause());
    expect(queryByRole('dialog')).toBeNull();
    expect(log.at(-1)).toMatchObject({ state: 'paused', remainingMs: 50_000 });
    expect(vi.getTimerCount()).toBe(timersWhilePrompted - 2); // the countdown tick and the idle timer's
    const renders = log.length;
    await advance(600_000);
    expect(log).toHaveLength(renders);
    expect(session.getSnapshot().status).toBe('authenticated');

    act(() => log.at(-1)?.resume());
    expect(log.at(-1)).toMatchObject({ state: 'prompted', remainingMs: 50_000 });
    expect(getByRole('dialog').textContent).toContain('Signing out in 50 s');
    await advance(1_000);
    expect(getByRole('dialog').textContent).toContain('Signing out in 49 s');
  });

  it('activity while paused does not resume it, and moves getLastActiveTime()', async () => {
    const { session, server, win, wrapper } = setupReactSession({ idle: timer() });
    const log: IdleTimerView[] = [];
    render(<Warning log={log} />, { wrapper });
    await act(() => session.login(server.login('alice')));
    expect(log.at(-1)?.getLastActiveTime()).toBe(T0);
    act(() => log.at(-1)?.pause());
    await advance(5_000);
    act(() => win.fire('keydown'));
    expect(log.at(-1)?.state).toBe('paused');
    expect(log.at(-1)?.getLastActiveTime()).toBe(T0 + 5_000);
  });
});
