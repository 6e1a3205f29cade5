import { describe, expect, it } from 'vitest';
import { createIdleBrowser, flushChannel } from '../helpers/idle-tabs';

// Every tab here: timeoutMs 10_000, promptBeforeMs 2_000.
describe('idle timer: a pause holds only in the tab that paused', () => {
  it('another tab keeps counting and goes idle; the paused tab does not', async () => {
    const { clock, tab } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    clock.advance(3_000);
    a.timer.pause();
    clock.advance(7_000);
    await flushChannel();
    expect(b.types()).toEqual(['idle-prompt', 'idle']);
    expect(a.types()).toEqual([]);
    a.win.fire('focus'); // a deadline check reads the shared storage: still paused
    expect(a.timer.getState()).toEqual({ state: 'paused', deadline: Infinity });
  });

  it('activity in another tab moves the shared last activity, and resume() counts from it', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    clock.advance(3_000);
    a.timer.pause();
    clock.advance(5_000);
    b.win.fire('keydown');
    await flushChannel();
    expect(a.timer.getLastActiveTime()).toBe(start + 8_000);
    expect(a.timer.getState()?.state).toBe('paused');
    clock.advance(1_000);
    a.timer.resume();
    expect(a.timer.getState()).toEqual({ state: 'active', deadline: start + 18_000 });
  });

  it('activity in the paused tab keeps the other tabs active', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    a.timer.pause();
    clock.advance(7_000);
    a.win.fire('keydown');
    await flushChannel();
    expect(b.timer.getState()).toEqual({ state: 'active', deadline: start + 17_000 });
  });

  it('resume() takes activity another tab stored while its broadcast was lost', () => {
    const { clock, tab, hub, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    clock.advance(3_000);
    a.timer.pause(); // 7 s left
    hub.pause(); // nothing is delivered
    clock.advance(3_000);
    b.win.fire('keydown');
    clock.advance(1_000);
    a.timer.resume(); // 7 s from now would be start + 14_000; the stored activity gives more
    expect(a.timer.getState()).toEqual({ state: 'active', deadline: start + 16_000 });
  });
});
