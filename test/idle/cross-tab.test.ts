import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS } from '../../src/idle/options';
import { isSessionError } from '../../src/lib/errors';
import { createIdleBrowser, flushChannel } from '../helpers/idle-tabs';
import { createManualClock } from '../helpers/manual-clock';

describe('idle timer across tabs', () => {
  it('activity in one tab resets every tab; all prompt and go idle together', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    clock.advance(5_000);
    a.win.fire('mousemove');
    await flushChannel();
    expect(b.timer.getState()).toEqual({ state: 'active', deadline: start + 15_000 });
    clock.advance(7_999);
    expect([...a.types(), ...b.types()]).toEqual([]);
    clock.advance(1);
    expect(a.log).toEqual([
      { type: 'idle-prompt', at: start + 13_000, deadline: start + 15_000, remainingMs: 2_000 },
    ]);
    expect(b.log).toEqual(a.log);
    clock.advance(2_000);
    expect(a.types()).toEqual(['idle-prompt', 'idle']);
    expect(b.types()).toEqual(['idle-prompt', 'idle']);
  });

  it('activity in one tab cancels the prompt in every tab', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    clock.advance(9_000);
    b.timer.reset(); // "stay signed in" in tab B
    await flushChannel();
    expect(a.types()).toEqual(['idle-prompt', 'active']);
    expect(b.types()).toEqual(['idle-prompt', 'active']);
    expect(a.timer.getState()).toEqual({ state: 'active', deadline: start + 19_000 });
    clock.advance(1_000);
    expect(a.types()).toEqual(['idle-prompt', 'active']);
  });

  it('broadcasts a versioned activity message on the channel <name>:idle', () => {
    const { clock, tab, hub, start } = createIdleBrowser();
    const { timer, win } = tab({ crossTab: { name: 'shop' } });
    timer.start();
    clock.advance(1_000);
    win.fire('keydown');
    expect(hub.sent).toEqual([
      { name: 'shop:idle', data: { v: 1, type: 'activity', at: start + 1_000 } },
    ]);
  });

  it('sees another tab’s activity in storage at its deadline check when a broadcast is lost', () => {
    const { clock, tab, hub, start } = createIdleBrowser();
    const a = tab();
    const b = tab();
    a.timer.start();
    b.timer.start();
    hub.pause(); // messages are never delivered in this test
    clock.advance(5_000);
    a.win.fire('mousemove');
    clock.advance(3_000); // B's prompt timer fires, finds A's timestamp
    expect(b.types()).toEqual([]);
    expect(b.timer.getState()).toEqual({ state: 'active', deadline: start + 15_000 });
    clock.advance(5_000);
    expect(b.types()).toEqual(['idle-prompt']);
  });

  it('a frozen tab does not keep the other tabs from going idle', () => {
    const { clock, tab } = createIdleBrowser();
    const frozen = createManualClock(); // its timers never run
    const a = tab();
    const b = tab({}, { setTimeout: frozen.setTimeout, clearTimeout: frozen.clearTimeout });
    a.timer.start();
    b.timer.start();
    clock.advance(10_000);
    expect(a.types()).toEqual(['idle-prompt', 'idle']);
    expect(b.types()).toEqual([]);
  });

  it('a thawed tab adopts the newest activity, not idled by a backlog of old messages', async () => {
    const { clock, tab, start } = createIdleBrowser();
    const frozen = createManualClock();
    const a = tab();
    const b = tab({}, { setTimeout: frozen.setTimeout, clearTimeout: frozen.clearTimeout });
    a.timer.start();
    b.timer.start();
    for (let i = 0; i < 10; i++) {
      clock.advance(3_000);
      a.win.fire('pointermove'); // B's deliveries wait, as for a frozen tab
    }
    await flushChannel(); // the backlog arrives oldest first: at +3 s the deadline had passed
    expect(b.types()).toEqual([]);
    expect(b.timer.getState()).toEqual({ state: 'active', deadline: start + 40_000 });
    b.win.fire('pageshow');
    expect(b.types()).toEqual([]);
    expect(a.types()).toEqual([]);
  });

  it('a thawed tab that finds the shared deadline passed goes idle on its own', () => {
    const { clock, tab } = createIdleBrowser();
    const frozen = createManualClock();
    const a = tab();
    const b = tab({}, { setTimeout: frozen.setTimeout, clearTimeout: frozen.clearTimeout });
    a.timer.start();
    b.timer.start();
    clock.advance(10_000);
    a.timer.stop();
    const before = a.types();
    b.win.setVisibility('visible');
    expect(b.types()).toEqual(['idle']);
    expect(a.types()).toEqual(before);
  });

  it('ignores malformed messages and timestamps from the future', async () => {
    const { clock, tab, hub, start } = createIdleBrowser();
    const { timer, types } = tab();
    timer.start();
    clock.advance(9_000);
    const now = start + 9_000;
    for (const data of [
      null,
      'activity',
      { type: 'activity', at: now },
      { v: 2, type: 'activity', at: now },
      { v: 1, type: 'reset', at: now },
      { v: 1, type: 'activity', at: String(now) },
      { v: 1, type: 'activity', at: Number.NaN },
      { v: 1, type: 'activity', at: -1 },
      { v: 1, type: 'activity', at: now + MAX_CLOCK_SKEW_MS + 1 },
    ]) {
      hub.inject('sessionkeeper:idle', data);
    }
    hub.inject('other:idle', { v: 1, type: 'activity', at: now });
    await flushChannel();
    expect(types()).toEqual(['idle-prompt']);
    expect(timer.getState()).toEqual({ state: 'prompted', deadline: start + 10_000 });

    // Valid but still inside the prompt window: the deadline moves, the prompt stays.
    hub.inject('sessionkeeper:idle', { v: 1, type: 'activity', at: start + 500 });
    expect(timer.getState()).toEqual({ state: 'prompted', deadline: start + 10_500 });
    hub.inject('sessionkeeper:idle', { v: 1, type: 'activity', at: now + 1_000, extra: true });
    expect(types()).toEqual(['idle-prompt', 'active']);
    // Within the allowed skew a timestamp ahead of this tab's clock is taken as now.
    expect(timer.getState()).toEqual({ state: 'active', deadline: now + 10_000 });
  });

  it('takes the later of its own and a received timestamp', () => {
    const { clock, tab, hub, start } = createIdleBrowser();
    const { timer, win } = tab();
    timer.start();
    clock.advance(5_000);
    win.fire('mousemove');
    hub.inject('sessionkeeper:idle', { v: 1, type: 'activity', at: start + 1_000 });
    expect(timer.getState()?.deadline).toBe(start + 15_000);
  });

  it('crossTab: false opens no channel and keeps the timestamp per tab', () => {
    const { clock, tab, hub, localStorage, sessionStorage, start } = createIdleBrowser();
    const { timer, win } = tab({ crossTab: false });
    timer.start();
    clock.advance(1_000);
    win.fire('keydown');
    expect(hub.open).toEqual([]);
    expect(hub.sent).toEqual([]);
    expect(localStorage.map.size).toBe(0);
    expect(sessionStorage.getItem('sessionkeeper:idle:last-activity')).toBe(
      JSON.stringify({ v: 1, at: start + 1_000 }),
    );
  });

  it('works without BroadcastChannel, through storage at deadline checks', () => {
    const { clock, tab, start } = createIdleBrowser();
    const a = tab({}, { BroadcastChannel: null });
    const b = tab({}, { BroadcastChannel: null });
    a.timer.start();
    b.timer.start();
    clock.advance(7_000);
    a.win.fire('wheel');
    clock.advance(1_000);
    expect(b.types()).toEqual([]);
    expect(b.timer.getState()?.deadline).toBe(start + 17_000);
  });

  it('reports a BroadcastChannel that cannot be opened and keeps working', () => {
    const { clock, tab } = createIdleBrowser();
    class Refusing {
      constructor() {
        throw new DOMException('denied', 'SecurityError');
      }
    }
    const { timer, log, types } = tab({}, { BroadcastChannel: Refusing as never });
    timer.start();
    expect(log[0]).toMatchObject({ type: 'error', source: 'idle' });
    clock.advance(10_000);
    expect(types()).toEqual(['error', 'idle-prompt', 'idle']);
  });

  it('a BroadcastChannel that throws SecurityError (sandboxed document): one CHANNEL_UNAVAILABLE error, a working single-tab timer', () => {
    const { clock, tab, start, localStorage } = createIdleBrowser();
    class Refusing {
      constructor() {
        throw new DOMException('denied', 'SecurityError');
      }
    }
    const { timer, win, log, types } = tab({}, { BroadcastChannel: Refusing as never });
    timer.start();
    expect(log).toHaveLength(1);
    const [entry] = log;
    expect(entry?.type === 'error' && entry.source).toBe('idle');
    const error = entry?.type === 'error' ? entry.error : undefined;
    expect(isSessionError(error, 'CHANNEL_UNAVAILABLE')).toBe(true);
    expect(error?.cause).toMatchObject({ name: 'SecurityError' });

    // Activity, the prompt, reset() and idle all work, with no further error.
    clock.advance(5_000);
    win.fire('keydown');
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 15_000 });
    expect(localStorage.getItem('sessionkeeper:idle:last-activity')).toBe(
      JSON.stringify({ v: 1, at: start + 5_000 }),
    );
    clock.advance(8_000);
    expect(types()).toEqual(['error', 'idle-prompt']);
    timer.reset();
    clock.advance(10_000);
    expect(types()).toEqual(['error', 'idle-prompt', 'active', 'idle-prompt', 'idle']);
    expect(log.at(-1)).toEqual({ type: 'idle', at: start + 23_000 });
  });

  it('an empty crossTab name means the default name, as for the session', () => {
    const { clock, tab, hub } = createIdleBrowser();
    const { timer, win } = tab({ crossTab: { name: '' } });
    timer.start();
    clock.advance(1_000);
    win.fire('keydown');
    expect(hub.sent.map((m) => m.name)).toEqual(['sessionkeeper:idle']);
  });
});
