import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS } from '../../src/idle/options';
import type { Env } from '../../src/lib/env';
import { isSessionError } from '../../src/lib/errors';
import { createIdleBrowser } from '../helpers/idle-tabs';

const KEY = 'sessionkeeper:idle:last-activity';

describe('idle timer: the last activity survives a reload', () => {
  it('a reloaded tab keeps the deadline', () => {
    const { clock, tab, start, localStorage } = createIdleBrowser();
    const before = tab();
    before.timer.start();
    clock.advance(3_000);
    before.win.fire('keydown');
    expect(localStorage.getItem(KEY)).toBe(JSON.stringify({ v: 1, at: start + 3_000 }));
    before.timer.destroy(); // the page unloads

    clock.advance(4_000);
    const after = tab();
    after.timer.start();
    expect(after.timer.getState()).toEqual({ state: 'active', deadline: start + 13_000 });
    clock.advance(3_999);
    expect(after.types()).toEqual([]);
    clock.advance(1);
    expect(after.types()).toEqual(['idle-prompt']);
  });

  it('a reload after the deadline is idle at once', () => {
    const { clock, tab, start } = createIdleBrowser();
    const before = tab();
    before.timer.start();
    before.timer.destroy();
    clock.jump(60_000);
    const after = tab();
    after.timer.start();
    expect(after.log).toEqual([{ type: 'idle', at: start + 60_000 }]);
    expect(after.timer.getState()).toEqual({ state: 'idle', deadline: start + 10_000 });
    expect(clock.pending).toBe(0);
  });

  it('a reload inside the prompt window prompts at once with the true remaining time', () => {
    const { clock, tab, start } = createIdleBrowser();
    tab().timer.start();
    clock.jump(8_800);
    const after = tab();
    after.timer.start();
    expect(after.log).toEqual([
      { type: 'idle-prompt', at: start + 8_800, deadline: start + 10_000, remainingMs: 1_200 },
    ]);
  });

  it('counts from now when nothing is stored, and stores it', () => {
    const { tab, start, localStorage } = createIdleBrowser();
    const { timer } = tab();
    timer.start();
    expect(timer.getState()?.deadline).toBe(start + 10_000);
    expect(localStorage.getItem(KEY)).toBe(JSON.stringify({ v: 1, at: start }));
  });

  it.each([
    ['not JSON', 'garbage'],
    ['another version', JSON.stringify({ v: 2, at: 1_700_000_000_000 })],
    ['a string timestamp', JSON.stringify({ v: 1, at: '1700000000000' })],
    ['from the future', JSON.stringify({ v: 1, at: 1_700_000_000_000 + MAX_CLOCK_SKEW_MS + 1 })],
  ])('ignores a stored value that is %s', (_, value) => {
    const { clock, tab, localStorage, start } = createIdleBrowser();
    localStorage.setItem(KEY, value);
    clock.advance(0);
    const { timer, log } = tab();
    timer.start();
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 10_000 });
    expect(log).toEqual([]);
    expect(localStorage.getItem(KEY)).toBe(JSON.stringify({ v: 1, at: start }));
  });

  it('reset() after stop counts from now, not from the stored activity (a new login)', () => {
    const { clock, tab, start } = createIdleBrowser();
    const { timer, log } = tab();
    timer.start();
    clock.advance(10_000);
    timer.stop();
    clock.advance(50_000);
    timer.reset();
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 70_000 });
    expect(log.map((e) => e.type)).toEqual(['idle-prompt', 'idle']);
  });
});

describe('idle timer: storage that fails', () => {
  it('keeps working in memory when storage throws, and reports it once', () => {
    const { clock, tab, localStorage, start } = createIdleBrowser();
    localStorage.fail = 'all';
    const { timer, win, log, types } = tab();
    timer.start();
    expect(log).toHaveLength(1);
    const [entry] = log;
    expect(entry?.type).toBe('error');
    if (entry?.type !== 'error') return;
    expect(entry.source).toBe('idle');
    expect(isSessionError(entry.error, 'STORAGE_UNAVAILABLE')).toBe(true);
    expect(entry.error.cause).toBeInstanceOf(DOMException);

    for (let i = 0; i < 5; i++) {
      clock.advance(1_000);
      win.fire('mousemove');
    }
    expect(timer.getState()).toEqual({ state: 'active', deadline: start + 15_000 });
    clock.advance(8_000);
    expect(types()).toEqual(['error', 'idle-prompt']);
    clock.advance(2_000);
    expect(types()).toEqual(['error', 'idle-prompt', 'idle']);
  });

  it('reports again when storage fails after it had recovered', () => {
    const { clock, tab, localStorage } = createIdleBrowser();
    const { timer, win, types } = tab();
    timer.start();
    localStorage.fail = 'write'; // quota exceeded
    clock.advance(1_000);
    win.fire('keydown');
    clock.advance(1_000);
    win.fire('keydown');
    expect(types()).toEqual(['error']);
    localStorage.fail = false;
    clock.advance(1_000);
    win.fire('keydown');
    localStorage.fail = 'write';
    clock.advance(1_000);
    win.fire('keydown');
    expect(types()).toEqual(['error', 'error']);
  });

  it.each<[string, Env]>([
    ['null', { localStorage: null }],
    [
      'a getter that throws (SecurityError)',
      Object.defineProperty({}, 'localStorage', {
        enumerable: true,
        get() {
          throw new DOMException('denied', 'SecurityError');
        },
      }),
    ],
  ])('keeps working when localStorage is %s, and reports it', (_, storageEnv) => {
    const { clock, tab } = createIdleBrowser();
    const { timer, win, log, types } = tab({}, storageEnv);
    timer.start();
    expect(log[0]).toMatchObject({ type: 'error', source: 'idle' });
    clock.advance(5_000);
    win.fire('pointerdown');
    clock.advance(7_999);
    expect(types()).toEqual(['error']);
    clock.advance(1);
    expect(types()).toEqual(['error', 'idle-prompt']);
  });
});
