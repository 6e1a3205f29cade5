import { describe, expect, it } from 'vitest';
import { createIdleTimer } from '../../src/idle/idle-timer';
import { DEFAULT_IDLE_EVENTS } from '../../src/idle/types';
import { MAX_TIMEOUT_MS } from '../../src/lib/env';
import { isSessionError } from '../../src/lib/errors';
import { createIdleBrowser } from '../helpers/idle-tabs';

// Every tab here: timeoutMs 10_000, promptBeforeMs 2_000 unless said otherwise.
describe('idle timer: prompt and idle', () => {
  it('prompts promptBeforeMs before the deadline and goes idle at the deadline', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, log } = tab();
    timer.start();
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 10_000 });
    clock.advance(7_999);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual([
      { type: 'idle-prompt', at: start + 8_000, deadline: start + 10_000, remainingMs: 2_000 },
    ]);
    expect(timer.getState()).toEqual({ state: 'prompted', deadline: start + 10_000 });
    clock.advance(1_999);
    expect(log).toHaveLength(1);
    clock.advance(1);
    expect(log[1]).toEqual({ type: 'idle', at: start + 10_000 });
    expect(timer.getState()).toEqual({ state: 'idle', deadline: start + 10_000 });
  });

  it('goes straight to idle without a prompt when promptBeforeMs is 0', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, types, log } = tab({ promptBeforeMs: 0 });
    timer.start();
    clock.advance(9_999);
    expect(types()).toEqual([]);
    clock.advance(1);
    expect(types()).toEqual(['idle']);
    expect(log[0]?.at).toBe(start + 10_000);
  });

  it('activity while active emits nothing and moves the deadline', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    clock.advance(5_000);
    win.fire('mousemove');
    expect(types()).toEqual([]);
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 15_000 });
    clock.advance(7_999);
    expect(types()).toEqual([]);
    clock.advance(1);
    expect(types()).toEqual(['idle-prompt']);
  });

  it('activity during the prompt cancels it and emits active', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, log, types } = tab();
    timer.start();
    clock.advance(8_500);
    expect(types()).toEqual(['idle-prompt']);
    win.fire('keydown');
    expect(log[1]).toEqual({ type: 'active', at: start + 8_500 });
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 18_500 });
    clock.advance(1_500); // the old deadline passes
    expect(types()).toEqual(['idle-prompt', 'active']);
    clock.advance(6_500);
    expect(types()).toEqual(['idle-prompt', 'active', 'idle-prompt']);
  });

  it('activity does not revive an idle timer; reset() does', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    clock.advance(10_000);
    for (const type of DEFAULT_IDLE_EVENTS) win.fire(type);
    expect(types()).toEqual(['idle-prompt', 'idle']);
    expect(timer.getState()?.state).toBe('idle');
    clock.advance(1_000);
    timer.reset();
    expect(types()).toEqual(['idle-prompt', 'idle', 'active']);
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 21_000 });
    clock.advance(8_000);
    expect(types()).toEqual(['idle-prompt', 'idle', 'active', 'idle-prompt']);
  });

  it('reset() during the prompt counts as activity', () => {
    const { clock, tab, start, localStorage } = createIdleBrowser();
    const { timer, types } = tab();
    timer.start();
    clock.advance(9_000);
    timer.reset();
    expect(types()).toEqual(['idle-prompt', 'active']);
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 19_000 });
    expect(localStorage.getItem('sessionkeeper:idle:last-activity')).toBe(
      JSON.stringify({ v: 1, at: start + 9_000 }),
    );
  });

  it('focus, visibilitychange and pageshow are not activity', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    clock.advance(5_000);
    win.fire('focus');
    win.fire('pageshow');
    win.setVisibility('hidden');
    win.setVisibility('visible');
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 10_000 });
    clock.advance(3_000);
    expect(types()).toEqual(['idle-prompt']);
  });

  it('online is not activity either, even when listed in events', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, types } = tab({ events: ['online', 'keydown'] });
    timer.start();
    clock.advance(5_000);
    win.setOnline(false);
    win.setOnline(true);
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 10_000 });
    expect(win.listenerCount('online')).toBe(1); // the re-check only
    clock.advance(3_000);
    expect(types()).toEqual(['idle-prompt']);
  });

  it('listens to the default events in the capture phase, passively', () => {
    const { tab } = createIdleBrowser();
    const { timer, win } = tab();
    timer.start();
    for (const type of DEFAULT_IDLE_EVENTS) {
      expect(win.optionsOf(type)).toEqual([{ capture: true, passive: true }]);
    }
    expect(win.listenerCount()).toBe(DEFAULT_IDLE_EVENTS.length + 4);
  });

  it('listens to custom events only', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win } = tab({ events: ['click'] });
    timer.start();
    clock.advance(1_000);
    win.fire('mousemove');
    expect(timer.getState()?.deadline).toBe(start + 10_000);
    win.fire('click');
    expect(timer.getState()?.deadline).toBe(start + 11_000);
  });
});

describe('idle timer: state for useSyncExternalStore', () => {
  it('keeps the same object until something changes, and notifies each change', () => {
    const { clock, tab } = createIdleBrowser();
    const { timer, win } = tab();
    let notified = 0;
    timer.subscribe(() => notified++);
    expect(timer.getState()).toBeNull();
    timer.start();
    expect(notified).toBe(1);
    const first = timer.getState();
    clock.advance(100);
    win.fire('focus');
    expect(timer.getState()).toBe(first);
    expect(notified).toBe(1);
    win.fire('mousemove');
    const second = timer.getState();
    expect(second).not.toBe(first);
    expect(notified).toBe(2);
    win.fire('mousemove'); // throttled: nothing changed
    expect(timer.getState()).toBe(second);
    clock.advance(8_000);
    expect(timer.getState()?.state).toBe('prompted');
    expect(notified).toBe(3);
    timer.stop();
    expect(timer.getState()).toBeNull();
    expect(notified).toBe(4);
  });

  it('remainingMs() counts down to the deadline and never goes below 0', () => {
    const { clock, tab } = createIdleBrowser();
    const { timer } = tab();
    expect(timer.remainingMs()).toBe(0);
    timer.start();
    expect(timer.remainingMs()).toBe(10_000);
    clock.advance(3_000);
    expect(timer.remainingMs()).toBe(7_000);
    clock.advance(6_500);
    expect(timer.remainingMs()).toBe(500);
    clock.advance(5_000);
    expect(timer.remainingMs()).toBe(0);
    timer.stop();
    expect(timer.remainingMs()).toBe(0);
  });

  it('start() is idempotent', () => {
    const { clock, tab, hub } = createIdleBrowser();
    const { timer, win } = tab();
    timer.start();
    const state = timer.getState();
    clock.advance(1_000);
    timer.start();
    expect(timer.getState()).toBe(state);
    expect(win.listenerCount()).toBe(DEFAULT_IDLE_EVENTS.length + 4);
    expect(clock.pending).toBe(1);
    expect(hub.open).toHaveLength(1);
  });
});

describe('idle timer: long timeouts and options', () => {
  it('never schedules a setTimeout longer than 2^31-1 ms and still fires on time', () => {
    const { clock, tab, start } = createIdleBrowser();
    const day = 86_400_000;
    const { timer, log } = tab({ timeoutMs: 60 * day, promptBeforeMs: day });
    timer.start();
    clock.advance(59 * day - 1);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual([
      { type: 'idle-prompt', at: start + 59 * day, deadline: start + 60 * day, remainingMs: day },
    ]);
    clock.advance(day);
    expect(log[1]).toEqual({ type: 'idle', at: start + 60 * day });
    expect(clock.delays.length).toBeGreaterThan(2);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_TIMEOUT_MS);
  });

  it.each([
    [{ timeoutMs: 0 }],
    [{ timeoutMs: Number.NaN }],
    [{ timeoutMs: 1_000, promptBeforeMs: 1_000 }],
    [{ promptBeforeMs: -1 }],
    [{ throttleMs: -5 }],
    [{ crossTab: { name: 42 as unknown as string } }],
  ])('rejects nonsensical options %j', (options) => {
    expect(() => createIdleTimer({ ...options, env: { window: null } })).toThrow(RangeError);
  });

  it('throws DESTROYED when started after destroy()', () => {
    const { tab } = createIdleBrowser();
    const { timer } = tab();
    timer.destroy();
    let caught: unknown;
    try {
      timer.start();
    } catch (error) {
      caught = error;
    }
    expect(isSessionError(caught, 'DESTROYED')).toBe(true);
    expect(() => timer.reset()).toThrow(/destroyed/);
  });
});
