import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleTimer } from '../../src/idle/idle-timer';
import type { IdleTimerOptions } from '../../src/idle/types';
import { createChannelHub } from '../helpers/channel';
import { MemoryStorage } from '../helpers/storage';
import { scriptEvent, userEvent } from '../helpers/window';

// The default env: happy-dom's window and document, the global (faked) timers and clock.
// Only the channel and the storage are injected (Node's real BroadcastChannel would keep the
// process alive and cross test files).
describe('idle timer with vi.useFakeTimers() and the real (happy-dom) window', () => {
  const T0 = Date.UTC(2026, 0, 1);
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function create(options: IdleTimerOptions = {}) {
    const hub = createChannelHub();
    const timer = createIdleTimer({
      ...options,
      timeoutMs: 60_000,
      promptBeforeMs: 10_000,
      env: { localStorage: new MemoryStorage(), BroadcastChannel: hub.BroadcastChannel },
    });
    const events: string[] = [];
    timer.on('idle-prompt', ({ remainingMs }) => events.push(`prompt ${remainingMs}`));
    timer.on('idle', () => events.push('idle'));
    timer.on('active', () => events.push('active'));
    timer.on('error', () => events.push('error'));
    return { timer, events, hub };
  }

  it('prompts, is cancelled by a real DOM event, and goes idle', () => {
    const { timer, events } = create();
    timer.start();
    vi.advanceTimersByTime(50_000);
    expect(events).toEqual(['prompt 10000']);
    document.body.dispatchEvent(userEvent('keydown', { bubbles: true }));
    expect(events).toEqual(['prompt 10000', 'active']);
    expect(timer.getState()).toEqual({ state: 'active', deadline: T0 + 110_000 });
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual(['prompt 10000', 'active', 'prompt 10000', 'idle']);
    timer.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });

  // happy-dom's events have no `isTrusted` (so they count, see the idle timer's `events` option);
  // `scriptEvent` gives one the `false` a browser gives every script-made event.
  it('ignores an event a script dispatches on the page', () => {
    const { timer, events } = create();
    timer.start();
    vi.advanceTimersByTime(50_000);
    document.body.dispatchEvent(scriptEvent('keydown', { bubbles: true }));
    window.dispatchEvent(scriptEvent('scroll'));
    expect(events).toEqual(['prompt 10000']);
    vi.advanceTimersByTime(10_000);
    expect(events).toEqual(['prompt 10000', 'idle']);
    timer.destroy();
  });

  it('sees activity that the app stops from propagating (capture phase)', () => {
    const { timer } = create();
    const button = document.createElement('button');
    document.body.append(button);
    button.addEventListener('pointerdown', (event) => event.stopPropagation());
    timer.start();
    vi.advanceTimersByTime(5_000);
    button.dispatchEvent(userEvent('pointerdown', { bubbles: true }));
    expect(timer.getState()?.deadline).toBe(T0 + 65_000);
    // `scroll` does not bubble; only a capturing listener on window sees an element scroll.
    vi.advanceTimersByTime(5_000);
    button.dispatchEvent(userEvent('scroll'));
    expect(timer.getState()?.deadline).toBe(T0 + 70_000);
    timer.destroy();
    button.remove();
  });

  it('acts on a deadline passed during sleep when the document becomes visible', () => {
    const { timer, events } = create();
    timer.start();
    vi.setSystemTime(T0 + 55_000); // the clock moves, no timer runs
    document.dispatchEvent(new Event('visibilitychange'));
    expect(events).toEqual(['prompt 5000']);
    vi.setSystemTime(T0 + 120_000);
    window.dispatchEvent(new Event('focus'));
    expect(events).toEqual(['prompt 5000', 'idle']);
    timer.destroy();
  });

  it('while paused no timer is pending and nothing fires; resume() continues with the time left', () => {
    // A tab on its own: happy-dom has no Web Locks, and without them a cross-tab pause keeps
    // the other tabs active with a timer (see pause-cross-tab.test.ts).
    const { timer, events } = create({ crossTab: false });
    timer.start();
    vi.advanceTimersByTime(55_000);
    expect(events).toEqual(['prompt 10000']);
    timer.pause();
    expect(events).toEqual(['prompt 10000', 'active']);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3_600_000);
    window.dispatchEvent(new Event('focus')); // a deadline check: none while paused
    expect(events).toEqual(['prompt 10000', 'active']);
    expect(timer.getState()).toEqual({ state: 'paused', deadline: Infinity });
    timer.resume();
    expect(events).toEqual(['prompt 10000', 'active', 'prompt 5000']);
    vi.advanceTimersByTime(4_999);
    expect(events).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['prompt 10000', 'active', 'prompt 5000', 'idle']);
    timer.destroy();
  });

  it('uses fake timers installed after it was created', () => {
    vi.useRealTimers();
    const { timer, events } = create();
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    timer.start();
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual(['prompt 10000', 'idle']);
    timer.destroy();
  });
});
