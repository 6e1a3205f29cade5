import { describe, expect, it } from 'vitest';
import { DEFAULT_IDLE_EVENTS } from '../../src/idle/types';
import { createIdleBrowser, flushChannel } from '../helpers/idle-tabs';

// activity + the re-checks: visibilitychange, focus, pageshow, online
const LISTENERS = DEFAULT_IDLE_EVENTS.length + 4;

describe('idle timer: stop and destroy leave nothing behind', () => {
  it.each(['active', 'prompted', 'idle'] as const)(
    'stop() while %s removes every listener, timer and channel',
    (state) => {
      const { clock, tab, hub } = createIdleBrowser();
      const { timer, win } = tab();
      timer.start();
      clock.advance({ active: 1_000, prompted: 9_000, idle: 10_000 }[state]);
      expect(timer.getState()?.state).toBe(state);
      expect(win.listenerCount()).toBe(LISTENERS);
      expect(hub.open).toHaveLength(1);
      timer.stop();
      expect(win.listenerCount()).toBe(0);
      expect(clock.pending).toBe(0);
      expect(hub.open).toHaveLength(0);
      expect(timer.getState()).toBeNull();
    },
  );

  it('destroy() removes everything and drops handlers', async () => {
    const { clock, tab, hub } = createIdleBrowser();
    const other = tab();
    const { timer, win, log } = tab();
    let notified = 0;
    timer.subscribe(() => notified++);
    timer.start();
    other.timer.start();
    timer.destroy();
    expect(win.listenerCount()).toBe(0);
    expect(hub.open).toHaveLength(1); // the other tab's
    expect(clock.pending).toBe(1); // the other tab's
    const seen = notified;
    other.timer.reset();
    await flushChannel();
    clock.advance(60_000);
    expect(log).toEqual([]);
    expect(notified).toBe(seen);
    timer.destroy(); // idempotent
    timer.stop();
  });

  it('activity after stop() changes nothing and is not shared', () => {
    const { clock, tab, hub, localStorage } = createIdleBrowser();
    const { timer, win } = tab();
    timer.start();
    timer.stop();
    const writes = localStorage.writes;
    clock.advance(1_000);
    for (const type of DEFAULT_IDLE_EVENTS) win.fire(type);
    expect(localStorage.writes).toBe(writes);
    expect(hub.sent).toEqual([]);
    expect(timer.getState()).toBeNull();
  });

  it('can be stopped from its own idle handler (as the session does) and started again', () => {
    const { clock, tab, hub, start } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.on('idle', () => timer.stop());
    timer.start();
    clock.advance(10_000);
    expect(types()).toEqual(['idle-prompt', 'idle']);
    expect(timer.getState()).toBeNull();
    expect(win.listenerCount()).toBe(0);
    expect(clock.pending).toBe(0);
    expect(hub.open).toHaveLength(0);

    timer.reset(); // signed in again
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 20_000 });
    expect(win.listenerCount()).toBe(LISTENERS);
    expect(clock.pending).toBe(1);
    expect(hub.open).toHaveLength(1);
  });

  it('stop() from a prompt handler emits nothing more', () => {
    const { clock, tab } = createIdleBrowser();
    const { timer, types } = tab();
    timer.on('idle-prompt', () => timer.stop());
    timer.start();
    clock.advance(60_000);
    expect(types()).toEqual(['idle-prompt']);
    expect(clock.pending).toBe(0);
  });

  it('an unsubscribed listener and a removed handler are not called', () => {
    const { clock, tab } = createIdleBrowser();
    const { timer } = tab();
    let calls = 0;
    const unsubscribe = timer.subscribe(() => calls++);
    const off = timer.on('idle-prompt', () => calls++);
    unsubscribe();
    off();
    timer.start();
    clock.advance(8_000);
    expect(timer.getState()?.state).toBe('prompted');
    expect(calls).toBe(0);
  });

  it('an error handler that stops the timer leaves nothing running', () => {
    const { clock, tab, hub, localStorage } = createIdleBrowser();
    localStorage.fail = 'all';
    const { timer, win, types } = tab();
    timer.on('error', () => timer.stop());
    timer.start();
    expect(types()).toEqual(['error']);
    expect(timer.getState()).toBeNull();
    expect(win.listenerCount()).toBe(0);
    expect(clock.pending).toBe(0);
    expect(hub.open).toHaveLength(0);
  });
});
