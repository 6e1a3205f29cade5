import { describe, expect, it } from 'vitest';
import { createIdleBrowser } from '../helpers/idle-tabs';

const EVENTS = ['mousemove', 'pointermove', 'wheel', 'scroll', 'keydown'];

/** 10,000 activity events within one second (10 per ms, from +0 to +999 ms), no timer run. */
function storm(clock: { jump(ms: number): void }, fire: (type: string) => void) {
  for (let i = 0; i < 10_000; i++) {
    if (i > 0 && i % 10 === 0) clock.jump(1);
    fire(EVENTS[i % EVENTS.length] ?? 'mousemove');
  }
}

describe('idle timer: throttled activity', () => {
  it('10,000 events in a second: at most one reschedule, write and broadcast per window', () => {
    const { clock, tab, hub, localStorage, start } = createIdleBrowser();
    const { timer, win, types } = tab({ throttleMs: 500 });
    timer.start();
    const timersBefore = clock.delays.length;
    const writesBefore = localStorage.writes;
    storm(clock, win.fire);
    const windows = Math.ceil(1_000 / 500);
    expect(clock.delays.length - timersBefore).toBeLessThanOrEqual(windows);
    expect(localStorage.writes - writesBefore).toBeLessThanOrEqual(windows);
    expect(hub.sent.length).toBeLessThanOrEqual(windows);
    expect(hub.sent.length).toBeGreaterThan(0);
    expect(types()).toEqual([]);
    // The last handled event is at most one window old.
    const deadline = timer.getState()?.deadline ?? 0;
    expect(deadline).toBeGreaterThan(start + 999 - 500 + 10_000);
    expect(clock.pending).toBe(1);
  });

  it('handles every event when throttleMs is 0', () => {
    const { clock, tab, localStorage } = createIdleBrowser();
    const { timer, win } = tab({ throttleMs: 0 });
    timer.start();
    const writesBefore = localStorage.writes;
    for (let i = 0; i < 10; i++) {
      clock.jump(1);
      win.fire('mousemove');
    }
    expect(localStorage.writes - writesBefore).toBe(10);
  });

  it('a moved deadline costs no timer until the armed one fires', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    const timersBefore = clock.delays.length;
    for (let i = 0; i < 7; i++) {
      clock.advance(1_000);
      win.fire('keydown');
    }
    expect(clock.delays.length).toBe(timersBefore);
    clock.advance(1_000); // the first prompt timer fires early and re-arms for the new instant
    expect(types()).toEqual([]);
    expect(clock.delays.at(-1)).toBe(7_000); // now +8 s; the prompt is due at +15 s
    expect(timer.getState()?.deadline).toBe(start + 17_000);
  });

  it('the first activity cancels a prompt even inside the throttle window', () => {
    const { clock, tab } = createIdleBrowser();
    const { timer, win, types } = tab({ throttleMs: 9_000 });
    timer.start();
    clock.advance(1_000);
    win.fire('mousemove'); // handled: the window runs until +10 s
    clock.advance(8_100);
    expect(types()).toEqual(['idle-prompt']);
    win.fire('mousemove');
    expect(types()).toEqual(['idle-prompt', 'active']);
  });
});
