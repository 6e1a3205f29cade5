import { describe, expect, it } from 'vitest';
import { createIdleBrowser, flushChannel } from '../helpers/idle-tabs';
import { advance, createLockedIdleBrowser, settle } from './locked-tabs';

const KEY = 'sessionkeeper:idle:last-activity';

// Every tab here: timeoutMs 10_000, promptBeforeMs 2_000.
describe('idle timer: a pause holds in every tab (Web Locks)', () => {
  it('another tab neither prompts nor goes idle while one is paused, and arms no timer', async () => {
    const { clock, tab, locks } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause();
    await settle();
    expect(locks.held).toEqual([expect.stringMatching(/^sessionkeeper:idle-paused:/)]);
    await advance(clock, 3_600_000);
    expect(b.types()).toEqual([]);
    expect(a.types()).toEqual([]);
    // B stopped counting at its prompt, holding the 2 s it had left, and waits for the lock.
    expect(b.timer.getState()).toEqual({ state: 'paused', deadline: Infinity });
    expect(b.timer.remainingMs()).toBe(2_000);
    expect(clock.pending).toBe(0); // no polling
    b.win.fire('focus'); // a deadline check changes nothing
    expect(b.timer.getState()?.state).toBe('paused');
    expect(b.types()).toEqual([]);
  });

  it('resume() ends the pause in every tab: all go on with the time held, and prompt and go idle together', async () => {
    const { clock, tab, start, locks, localStorage, hub } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause(); // 7 s left
    await advance(clock, 60_000);
    a.timer.resume();
    await settle();
    const resumedAt = start + 63_000;
    // Shared as activity that leaves those 7 s: stored and broadcast.
    expect(localStorage.getItem(KEY)).toBe(JSON.stringify({ v: 1, at: resumedAt - 3_000 }));
    expect(hub.sent.at(-1)?.data).toEqual({ v: 1, type: 'activity', at: resumedAt - 3_000 });
    expect(locks.held).toEqual([]);
    expect(a.timer.getState()).toEqual({ state: 'active', deadline: resumedAt + 7_000 });
    expect(b.timer.getState()).toEqual({ state: 'active', deadline: resumedAt + 7_000 });
    // A tab opened now continues from the shared activity as well.
    const c = tab();
    c.timer.start();
    await settle();
    expect(c.timer.getState()).toEqual({ state: 'active', deadline: resumedAt + 7_000 });
    await advance(clock, 7_000);
    for (const t of [a, b, c]) {
      expect(t.log).toEqual([
        {
          type: 'idle-prompt',
          at: resumedAt + 5_000,
          deadline: resumedAt + 7_000,
          remainingMs: 2_000,
        },
        { type: 'idle', at: resumedAt + 7_000 },
      ]);
    }
  });

  it('the paused tab going away (its lock freed) lets the others go on with the time they held', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause();
    await advance(clock, 57_000);
    expect(b.timer.getState()?.state).toBe('paused'); // held at its prompt, 2 s left
    a.timer.destroy(); // the tab is closed (or crashed, or discarded): its lock is freed
    await settle();
    expect(b.log).toEqual([
      { type: 'idle-prompt', at: start + 60_000, deadline: start + 62_000, remainingMs: 2_000 },
    ]);
    await advance(clock, 2_000);
    expect(b.types()).toEqual(['idle-prompt', 'idle']);
  });

  it('a paused tab that goes away before the others would prompt changes nothing for them', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause();
    await advance(clock, 2_000);
    a.timer.destroy();
    await advance(clock, 5_000);
    expect(b.log).toEqual([
      { type: 'idle-prompt', at: start + 8_000, deadline: start + 10_000, remainingMs: 2_000 },
      { type: 'idle', at: start + 10_000 },
    ]);
  });

  it('a tab that shows the prompt when another pauses closes it at its deadline, and holds', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 9_000); // both prompted
    a.timer.pause(); // 1 s left
    await advance(clock, 1_000);
    expect(b.types()).toEqual(['idle-prompt', 'active']);
    expect(b.timer.getState()?.state).toBe('paused');
    await advance(clock, 40_000);
    a.timer.resume(); // both go on with the 1 s A held
    await settle();
    const resumedAt = start + 50_000;
    expect(a.log.at(-1)).toEqual({
      type: 'idle-prompt',
      at: resumedAt,
      deadline: resumedAt + 1_000,
      remainingMs: 1_000,
    });
    expect(b.log.at(-1)).toEqual(a.log.at(-1));
    await advance(clock, 1_000);
    expect(a.types().at(-1)).toBe('idle');
    expect(b.types().at(-1)).toBe('idle');
  });

  it('a pause at the very deadline comes too late: every tab goes idle', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 9_500);
    clock.advance(500); // both reach the deadline and ask whether a tab is paused
    a.timer.pause(); // before the answer
    await settle();
    expect(a.log.at(-1)).toEqual({ type: 'idle', at: start + 10_000 });
    expect(b.log.at(-1)).toEqual({ type: 'idle', at: start + 10_000 });
  });

  it('a pause just before another tab’s deadline holds it', async () => {
    const { clock, tab } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 9_500); // both prompted
    clock.advance(499);
    a.timer.pause();
    clock.advance(1); // B's deadline: its question comes after A's lock
    await settle();
    expect(b.types()).toEqual(['idle-prompt', 'active']);
    expect(b.timer.getState()?.state).toBe('paused');
  });

  it('one tab resuming while another pauses: the others wait for the new pause', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    const c = tab();
    for (const t of [a, b, c]) t.timer.start();
    await advance(clock, 3_000);
    a.timer.pause(); // 7 s left
    await advance(clock, 47_000); // B and C held at their prompt, 2 s left each
    a.timer.resume(); // A: 7 s from now
    c.timer.pause(); // C was held for A: now paused itself
    await advance(clock, 30_000);
    expect(b.timer.getState()?.state).toBe('paused');
    expect(a.timer.getState()?.state).toBe('paused'); // held for C at its prompt
    expect([...a.types(), ...b.types(), ...c.types()]).toEqual([]);
    c.timer.resume(); // C held the 2 s it had left when A paused it
    await settle();
    const resumedAt = start + 80_000;
    for (const t of [a, b, c]) {
      expect(t.timer.getState()).toEqual({ state: 'prompted', deadline: resumedAt + 2_000 });
    }
  });

  it('activity in any tab still moves the shared last activity while one is paused', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause();
    await advance(clock, 10_000);
    b.win.fire('keydown'); // B is held, but its user is active
    await flushChannel();
    expect(a.timer.getLastActiveTime()).toBe(start + 13_000);
    await advance(clock, 1_000);
    a.timer.resume(); // the activity leaves more than the 7 s held
    await settle();
    expect(a.timer.getState()).toEqual({ state: 'active', deadline: start + 23_000 });
    expect(b.timer.getState()).toEqual({ state: 'active', deadline: start + 23_000 });
  });

  it('pause() in a tab held for another makes the pause its own; resume() there does nothing before', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause();
    await advance(clock, 7_000); // B held at its prompt, 2 s left
    b.timer.resume(); // not B's pause
    expect(b.timer.getState()?.state).toBe('paused');
    b.timer.pause(); // B's own now
    a.timer.resume();
    await advance(clock, 60_000);
    expect(a.timer.getState()?.state).toBe('paused'); // held for B
    expect([...a.types(), ...b.types()]).toEqual([]);
    b.timer.resume();
    await settle();
    const at = start + 70_000;
    expect(b.timer.getState()).toEqual({ state: 'prompted', deadline: at + 2_000 });
    expect(a.timer.getState()).toEqual({ state: 'prompted', deadline: at + 2_000 });
  });

  it('a reload of the paused tab ends its pause: the new page counts from the stored last activity', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause();
    await advance(clock, 60_000);
    a.timer.destroy(); // the page unloads: its lock is freed
    const reloaded = tab();
    reloaded.timer.start();
    await settle();
    expect(reloaded.log).toEqual([{ type: 'idle', at: start + 63_000 }]);
    expect(b.log).toEqual([
      { type: 'idle-prompt', at: start + 63_000, deadline: start + 65_000, remainingMs: 2_000 },
    ]);
  });

  it('reset() in a held tab ends the wait there: a full timeout, then held again', async () => {
    const { clock, tab, start } = createLockedIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause();
    await advance(clock, 7_000);
    b.timer.reset();
    expect(b.timer.getState()).toEqual({ state: 'active', deadline: start + 20_000 });
    await advance(clock, 60_000);
    expect(b.types()).toEqual([]);
    expect(b.timer.getState()?.state).toBe('paused');
  });

  it('stop() lets go of the lock', async () => {
    const { clock, tab, locks } = createLockedIdleBrowser();
    const a = tab();
    a.timer.start();
    await advance(clock, 1_000);
    a.timer.pause();
    await settle();
    expect(locks.held).toHaveLength(1);
    a.timer.stop();
    await settle();
    expect(locks.held).toEqual([]);
  });

  it('with crossTab: false the pause holds in its own tab only, and takes no lock', async () => {
    const { clock, tab, locks } = createLockedIdleBrowser();
    const a = tab({ crossTab: false });
    const b = tab({ crossTab: false });
    a.timer.start();
    b.timer.start();
    await advance(clock, 3_000);
    a.timer.pause();
    await advance(clock, 7_000);
    expect(locks.held).toEqual([]);
    expect(b.types()).toEqual(['idle-prompt', 'idle']);
    expect(a.types()).toEqual([]);
  });
});

describe('idle timer: a pause without Web Locks', () => {
  it('the paused tab keeps the shared last activity fresh: no other tab prompts', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    clock.advance(3_000);
    a.timer.pause();
    for (let i = 0; i < 900; i++) {
      clock.advance(4_000); // every (timeoutMs - promptBeforeMs) / 2
      await flushChannel();
    }
    expect(b.types()).toEqual([]);
    expect(b.timer.getLastActiveTime()).toBe(start + 3_600_000);
    expect(clock.pending).toBe(2); // A's next refresh, and B's prompt (always later)
  });

  it('the paused tab going away lets the others go idle a timeout after its last refresh', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    clock.advance(3_000);
    a.timer.pause();
    clock.advance(57_000); // refreshed at 4 s, 8 s, … 60 s
    await flushChannel();
    a.timer.destroy();
    clock.advance(10_000);
    expect(b.log).toEqual([
      { type: 'idle-prompt', at: start + 68_000, deadline: start + 70_000, remainingMs: 2_000 },
      { type: 'idle', at: start + 70_000 },
    ]);
  });

  it('resume() goes on with the time held or from the last refresh, whichever leaves more', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    clock.advance(3_000);
    a.timer.pause(); // 7 s held
    clock.advance(58_000); // last refresh at 60 s
    a.timer.resume();
    await flushChannel();
    expect(a.timer.getState()).toEqual({ state: 'active', deadline: start + 70_000 });
    expect(b.timer.getState()).toEqual({ state: 'active', deadline: start + 70_000 });
  });
});
