import { describe, expect, it } from 'vitest';
import { advance, createLockedIdleBrowser as createIdleBrowser, settle } from './locked-tabs';

const KEY = 'sessionkeeper:idle:last-activity';

// Every tab here: timeoutMs 10_000, promptBeforeMs 2_000.
describe('idle timer: pause() and resume()', () => {
  it('while paused no timer is armed and nothing fires, however long', async () => {
    const { clock, tab } = createIdleBrowser();
    const { timer, types } = tab();
    timer.start();
    await advance(clock, 3_000);
    timer.pause();
    expect(clock.pending).toBe(0);
    await advance(clock, 3_600_000);
    expect(types()).toEqual([]);
    expect(timer.getState()).toEqual({ state: 'paused', deadline: Infinity });
  });

  it('getState() says paused (deadline Infinity) and remainingMs() holds the time left', async () => {
    const { clock, tab } = createIdleBrowser();
    const { timer } = tab();
    const changes: unknown[] = [];
    timer.subscribe(() => changes.push(timer.getState()));
    timer.start();
    await advance(clock, 3_000);
    timer.pause();
    expect(changes.at(-1)).toEqual({ state: 'paused', deadline: Infinity });
    expect(timer.remainingMs()).toBe(7_000);
    await advance(clock, 60_000);
    expect(timer.remainingMs()).toBe(7_000);
    const paused = timer.getState();
    await advance(clock, 60_000);
    expect(timer.getState()).toBe(paused); // the same object while nothing changes
  });

  it('resume() continues with the time that was left, not a fresh timeout', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, log } = tab();
    timer.start();
    await advance(clock, 3_000);
    timer.pause();
    await advance(clock, 3_600_000);
    const resumedAt = start + 3_603_000;
    timer.resume();
    expect(timer.getState()).toEqual({ state: 'active', deadline: resumedAt + 7_000 });
    expect(log).toEqual([]); // no `active` for leaving a pause that closed no prompt
    await advance(clock, 4_999);
    expect(log).toEqual([]);
    await advance(clock, 1);
    expect(log).toEqual([
      {
        type: 'idle-prompt',
        at: resumedAt + 5_000,
        deadline: resumedAt + 7_000,
        remainingMs: 2_000,
      },
    ]);
    await advance(clock, 2_000);
    expect(log.at(-1)).toEqual({ type: 'idle', at: resumedAt + 7_000 });
  });

  it('pause() while prompted closes the prompt (emits active); resume() prompts again with the time left', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, log, types } = tab();
    timer.start();
    await advance(clock, 8_500);
    expect(types()).toEqual(['idle-prompt']);
    timer.pause();
    expect(log.at(-1)).toEqual({ type: 'active', at: start + 8_500 });
    expect(timer.getState()).toEqual({ state: 'paused', deadline: Infinity });
    expect(timer.remainingMs()).toBe(1_500);
    await advance(clock, 60_000);
    expect(types()).toEqual(['idle-prompt', 'active']);

    timer.resume();
    await settle(); // the prompt first asks the other tabs whether one is paused
    const resumedAt = start + 68_500;
    expect(log.at(-1)).toEqual({
      type: 'idle-prompt',
      at: resumedAt,
      deadline: resumedAt + 1_500,
      remainingMs: 1_500,
    });
    expect(timer.getState()).toEqual({ state: 'prompted', deadline: resumedAt + 1_500 });
    await advance(clock, 1_500);
    expect(types()).toEqual(['idle-prompt', 'active', 'idle-prompt', 'idle']);
  });

  it('activity while paused does not resume it, but is stored and broadcast as activity', async () => {
    const { clock, tab, hub, localStorage, start } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    await advance(clock, 3_000);
    timer.pause();
    await advance(clock, 20_000);
    win.fire('keydown');
    expect(timer.getState()?.state).toBe('paused');
    expect(clock.pending).toBe(0);
    expect(localStorage.getItem(KEY)).toBe(JSON.stringify({ v: 1, at: start + 23_000 }));
    expect(hub.sent.at(-1)?.data).toEqual({ v: 1, type: 'activity', at: start + 23_000 });
    await advance(clock, 60_000);
    expect(types()).toEqual([]);
  });

  it('resume() counts from activity seen during the pause when that leaves more time', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win } = tab();
    timer.start();
    await advance(clock, 8_500); // prompted, 1.5 s left
    timer.pause();
    await advance(clock, 20_000);
    win.fire('keydown'); // at start + 28_500
    expect(timer.remainingMs()).toBe(10_000);
    await advance(clock, 4_000);
    expect(timer.remainingMs()).toBe(6_000); // what resume() would continue with now
    timer.resume();
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 38_500 });
  });

  it('pause() and resume() are not counted: a second pause() is a no-op, one resume() ends it', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer } = tab();
    timer.start();
    await advance(clock, 3_000);
    timer.pause();
    await advance(clock, 1_000);
    timer.pause();
    expect(timer.remainingMs()).toBe(7_000);
    timer.resume();
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 11_000 });
    timer.resume(); // not paused: nothing changes
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 11_000 });
  });

  it('pause() does nothing while stopped or idle; resume() does nothing while stopped', async () => {
    const { clock, tab } = createIdleBrowser();
    const { timer, types } = tab();
    timer.pause();
    expect(timer.getState()).toBeNull();
    timer.start();
    await advance(clock, 10_000);
    expect(timer.getState()?.state).toBe('idle');
    timer.pause();
    expect(timer.getState()?.state).toBe('idle');
    timer.stop();
    timer.resume();
    expect(timer.getState()).toBeNull();
    expect(types()).toEqual(['idle-prompt', 'idle']);
  });

  it('a timer that is late at pause() goes idle first and stays idle', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, log } = tab();
    timer.start();
    clock.jump(30_000); // asleep: no timer ran
    timer.pause();
    await settle();
    expect(log).toEqual([{ type: 'idle', at: start + 30_000 }]);
    expect(timer.getState()?.state).toBe('idle');
  });

  it('stop() ends a pause; start() then counts from the stored last activity', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, types } = tab();
    timer.start();
    await advance(clock, 3_000);
    timer.pause();
    timer.stop();
    expect(timer.getState()).toBeNull();
    await advance(clock, 4_000);
    timer.start();
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 10_000 });
    await advance(clock, 3_000);
    expect(types()).toEqual(['idle-prompt', 'idle']);
  });

  it('start() while paused changes nothing; reset() ends the pause with a full timeout from now', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, types } = tab();
    timer.start();
    await advance(clock, 3_000);
    timer.pause();
    timer.start();
    expect(timer.getState()).toEqual({ state: 'paused', deadline: Infinity });
    await advance(clock, 60_000);
    timer.reset();
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 73_000 });
    expect(types()).toEqual([]); // no prompt was open: nothing to close
  });

  it('a reload ends a pause: the new page counts from the stored last activity', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const before = tab();
    before.timer.start();
    await advance(clock, 3_000);
    before.timer.pause();
    await advance(clock, 60_000);
    before.timer.destroy(); // the page unloads
    const after = tab();
    after.timer.start();
    await settle(); // it asks the other tabs whether one is paused: none is (any more)
    expect(after.log).toEqual([{ type: 'idle', at: start + 63_000 }]);
  });
});

describe('idle timer: getLastActiveTime()', () => {
  it('is null while stopped, else the last activity in epoch ms (idle and paused included)', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, win } = tab();
    expect(timer.getLastActiveTime()).toBeNull();
    timer.start();
    expect(timer.getLastActiveTime()).toBe(start); // nothing stored: the start counts
    await advance(clock, 1_000);
    win.fire('mousemove');
    expect(timer.getLastActiveTime()).toBe(start + 1_000);
    await advance(clock, 100); // within throttleMs: not handled
    win.fire('mousemove');
    expect(timer.getLastActiveTime()).toBe(start + 1_000);
    timer.pause();
    await advance(clock, 5_000);
    win.fire('mousemove');
    expect(timer.getLastActiveTime()).toBe(start + 6_100);
    timer.resume();
    await advance(clock, 10_000);
    expect(timer.getState()?.state).toBe('idle');
    expect(timer.getLastActiveTime()).toBe(start + 6_100);
    timer.stop();
    expect(timer.getLastActiveTime()).toBeNull();
  });

  it('continues from the stored last activity after a reload', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const before = tab();
    before.timer.start();
    await advance(clock, 2_000);
    before.win.fire('keydown');
    before.timer.destroy();
    await advance(clock, 1_000);
    const after = tab();
    after.timer.start();
    expect(after.timer.getLastActiveTime()).toBe(start + 2_000);
  });
});
