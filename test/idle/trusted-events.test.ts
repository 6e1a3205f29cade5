import { describe, expect, it } from 'vitest';
import { createIdleTimer } from '../../src/idle/idle-timer';
import { DEFAULT_IDLE_EVENTS } from '../../src/idle/types';
import { createIdleBrowser } from '../helpers/idle-tabs';

// A script can dispatch any event (`isTrusted: false`); only the browser's, for a real user,
// are activity. `win.fire` is the user, `win.fireSynthetic` a script.
describe('idle timer: only a real user is activity', () => {
  it('a synthetic scroll dispatched once a minute does not keep a 10-minute session alive', () => {
    const { clock, tab, start, localStorage, hub } = createIdleBrowser();
    const { timer, win, log } = tab({ timeoutMs: 600_000, promptBeforeMs: 60_000 });
    timer.start();
    const writes = localStorage.writes;
    for (let minute = 1; minute <= 10; minute++) {
      clock.advance(60_000 - 1);
      win.fireSynthetic('scroll');
      clock.advance(1);
    }
    expect(log).toEqual([
      { type: 'idle-prompt', at: start + 540_000, deadline: start + 600_000, remainingMs: 60_000 },
      { type: 'idle', at: start + 600_000 },
    ]);
    expect(localStorage.writes).toBe(writes);
    expect(hub.sent).toEqual([]);
  });

  it('no untrusted activity event moves the deadline or cancels the prompt', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, types } = tab({ events: [...DEFAULT_IDLE_EVENTS, 'click'] });
    timer.start();
    clock.advance(1_000);
    for (const type of [...DEFAULT_IDLE_EVENTS, 'click']) win.fireSynthetic(type);
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 10_000 });
    clock.advance(8_000);
    for (const type of [...DEFAULT_IDLE_EVENTS, 'click']) win.fireSynthetic(type);
    expect(types()).toEqual(['idle-prompt']);
    win.fire('click'); // the user
    expect(types()).toEqual(['idle-prompt', 'active']);
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 19_000 });
  });

  it('an event object without isTrusted (e.g. from an injected window) counts as activity', () => {
    const { clock, start } = createIdleBrowser();
    const listeners = new Map<string, (event: Event) => void>();
    const timer = createIdleTimer({
      timeoutMs: 10_000,
      promptBeforeMs: 2_000,
      crossTab: false,
      env: {
        now: clock.now,
        setTimeout: clock.setTimeout,
        clearTimeout: clock.clearTimeout,
        sessionStorage: null,
        window: {
          addEventListener: (type, listener) => listeners.set(type, listener),
          removeEventListener: (type) => listeners.delete(type),
        },
      },
    });
    timer.start();
    clock.advance(1_000);
    listeners.get('keydown')?.({ type: 'keydown' } as Event);
    expect(timer.getState()?.deadline).toBe(start + 11_000);
    timer.destroy();
  });
});
