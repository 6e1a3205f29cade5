import { describe, expect, it } from 'vitest';
import { createIdleBrowser } from '../helpers/idle-tabs';

// The laptop sleeps or the tab is frozen: the clock moves (`jump`) but no timer runs.
const wake = {
  visibilitychange: (win: { setVisibility(state: 'visible' | 'hidden'): void }) =>
    win.setVisibility('visible'),
  focus: (win: { fire(type: string): void }) => win.fire('focus'),
  pageshow: (win: { fire(type: string): void }) => win.fire('pageshow'),
  // The network comes back with the laptop.
  online: (win: { setOnline(online: boolean): void }) => win.setOnline(true),
};

describe('idle timer: sleep, frozen tabs and late timers', () => {
  it.each(Object.keys(wake) as (keyof typeof wake)[])(
    'an idle deadline that passed during sleep is acted on at once on %s',
    (event) => {
      const { clock, tab, start } = createIdleBrowser();
      const { timer, win, log } = tab();
      timer.start();
      clock.jump(60_000);
      expect(log).toEqual([]);
      wake[event](win);
      expect(log).toEqual([{ type: 'idle', at: start + 60_000 }]);
      expect(timer.getState()).toEqual({ state: 'idle', deadline: start + 10_000 });
      expect(clock.pending).toBe(0);
    },
  );

  it.each(Object.keys(wake) as (keyof typeof wake)[])(
    'waking between the prompt and the deadline prompts with the true remaining time (%s)',
    (event) => {
      const { clock, tab, start } = createIdleBrowser();
      const { timer, win, log } = tab();
      timer.start();
      clock.jump(9_300);
      wake[event](win);
      expect(log).toEqual([
        { type: 'idle-prompt', at: start + 9_300, deadline: start + 10_000, remainingMs: 700 },
      ]);
      expect(timer.remainingMs()).toBe(700);
    },
  );

  it('a re-check event during the prompt is not activity', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    clock.jump(9_000);
    win.fire('focus');
    win.fire('pageshow');
    win.setVisibility('visible');
    expect(types()).toEqual(['idle-prompt']);
    expect(timer.getState()).toEqual({ state: 'prompted', deadline: start + 10_000 });
    clock.advance(1_000);
    expect(types()).toEqual(['idle-prompt', 'idle']);
  });

  it('coming back after the deadline is idle, not activity, whatever event arrives first', () => {
    const { clock, tab, start, localStorage, hub } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    const writes = localStorage.writes;
    clock.jump(20_000);
    win.fire('mousemove');
    expect(types()).toEqual(['idle']);
    expect(timer.getState()).toEqual({ state: 'idle', deadline: start + 10_000 });
    expect(localStorage.writes).toBe(writes);
    expect(hub.sent).toEqual([]);
  });

  it('activity after waking inside the prompt window cancels the prompt', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    clock.jump(9_000);
    win.setVisibility('visible');
    win.fire('pointerdown');
    expect(types()).toEqual(['idle-prompt', 'active']);
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 19_000 });
  });

  it('a timer that fires late re-checks against the clock', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, log } = tab();
    timer.start();
    clock.jump(9_500); // the prompt timer (due at +8s) is now overdue
    clock.advance(0);
    expect(log).toEqual([
      { type: 'idle-prompt', at: start + 9_500, deadline: start + 10_000, remainingMs: 500 },
    ]);
    clock.jump(5_000); // the idle timer is overdue too
    clock.advance(0);
    expect(log[1]).toEqual({ type: 'idle', at: start + 14_500 });
  });

  it('a timer that fires late after the deadline goes idle without a prompt', () => {
    const { clock, tab } = createIdleBrowser();
    const { timer, types } = tab();
    timer.start();
    clock.jump(30_000);
    clock.advance(0);
    expect(types()).toEqual(['idle']);
  });
});
