import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createIdleTimer } from '../../src/idle/idle-timer';
import type { IdleState, IdleTimer } from '../../src/idle/types';
import type { BroadcastChannelConstructor, ChannelLike } from '../../src/lib/env';
import { createChannelHub } from '../helpers/channel';
import { createFakeWindow, type FakeWindow } from '../helpers/fake-window';
import { createLockManager } from '../helpers/locks';
import { createManualClock } from '../helpers/manual-clock';
import { seededRandom } from '../helpers/model-browser';
import { MemoryStorage } from '../helpers/storage';
import { settle } from './locked-tabs';

/**
 * The random-interleaving test of the pause held across tabs (src/idle/pausing.ts, pause.ts,
 * shared-pause.ts): 2–3 standalone idle timers of one fake browser (one manual clock, one
 * localStorage, one channel hub, one lock manager with a client per tab), random command lists
 * (activity, pause, resume, reset, clock steps, lock answers delivered late, tabs closed, crashed,
 * opened and reloaded), the invariants checked after every command.
 *
 * The lock manager's answers (`query()` snapshots, taken when asked, and lock grants) reach a tab
 * only when a `deliver` command or a settle says so, as a real lock manager answers across
 * tasks (late, for a frozen tab); the clock runs the tabs' timers one instant at a time,
 * microtasks drained between. A closed tab is destroyed, then the browser frees what it held; a
 * crashed one is not destroyed: its locks are freed, its channel closed, its timers never run.
 * Mostly with Web Locks, one run in four without.
 *
 * Invariants (after every command unless said):
 * 1. No tab goes idle while an own pause begun before the command still holds, unless it was
 *    too late: the tab asked the lock manager at (or past) its deadline before the pause began
 *    (`pause()` itself does nothing at or past its tab's deadline: checked exactly on each call).
 *    No tab goes idle before the model's earliest deadline (last activity + timeout, or the
 *    deadline a resume promised). A tab paused by its own pause() stays paused; `resume()` goes
 *    on with exactly `remainingMs()`; `resume()` without an own pause changes nothing.
 * 2. After a settle: no tab is paused for another's pause when no open tab holds one (never,
 *    without Web Locks).
 * 3. `quiet` (30 s, everything settled): with no pause, every open tab is idle; with one, no
 *    other tab goes idle, and each is held (Web Locks) or kept active (without).
 * 4. A paused tab (Web Locks) has no timer set after a settle; while every tab is paused, no
 *    timer fires.
 *
 * Run:  npx vitest run --project unit test/idle/pause.model.test.ts
 * Env:  PAUSE_MODEL_SEED (default 20261201), PAUSE_MODEL_RUNS (default 1000),
 *       PAUSE_MODEL_COMMANDS (max commands per run, default 30), PAUSE_MODEL_PATH (the `path`
 *       fast-check prints, with the same seed, to replay a shrunk failure), PAUSE_MODEL_TIMEOUT_MS.
 * A failure prints fast-check's seed, path and the shrunk command list, and the broken invariant
 * with every tab's state and the end of the run's trace.
 *
 * Time budget: under 5 s in `npm test`. Measured on the shared 2-core machine: the default 1000
 * runs take 0.7–2 s; 3000 runs of up to 50 commands about 2 s. The timeout leaves room for
 * shrinking a failure.
 */

const SEED = Number(process.env.PAUSE_MODEL_SEED ?? 20_261_201);
const RUNS = Number(process.env.PAUSE_MODEL_RUNS ?? 1000);
const MAX_COMMANDS = Number(process.env.PAUSE_MODEL_COMMANDS ?? 30);
const PATH = process.env.PAUSE_MODEL_PATH || undefined;
const TIMEOUT_MS = Number(process.env.PAUSE_MODEL_TIMEOUT_MS ?? 120_000);

const IDLE_MS = 10_000;
const PROMPT_MS = 2_000;
const SLOTS = 3;
const KEY = 'sessionkeeper:idle:last-activity';

// ---------------------------------------------------------------------------------------------
// Commands

type Command =
  | { t: 'activity' | 'pause' | 'resume' | 'reset' | 'close' | 'crash' | 'reload'; tab: number }
  | { t: 'open' }
  | { t: 'advance'; ms: number; settled: boolean }
  | { t: 'deliver'; tab: number }
  | { t: 'settle' }
  | { t: 'quiet' };

const tab = fc.integer({ min: 0, max: SLOTS - 1 });
const onTab = (t: 'activity' | 'pause' | 'resume' | 'reset' | 'close' | 'crash' | 'reload') =>
  tab.map((i): Command => ({ t, tab: i }));
const ms = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 600 }) },
  { weight: 3, arbitrary: fc.integer({ min: PROMPT_MS - 300, max: PROMPT_MS + 300 }) },
  { weight: 3, arbitrary: fc.integer({ min: IDLE_MS - PROMPT_MS - 300, max: IDLE_MS + 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 * IDLE_MS }) },
);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: onTab('activity') },
  { weight: 5, arbitrary: onTab('pause') },
  { weight: 4, arbitrary: onTab('resume') },
  { weight: 1, arbitrary: onTab('reset') },
  { weight: 1, arbitrary: onTab('close') },
  { weight: 1, arbitrary: onTab('crash') },
  { weight: 1, arbitrary: onTab('reload') },
  { weight: 1, arbitrary: fc.constant<Command>({ t: 'open' }) },
  {
    weight: 8,
    arbitrary: fc.record({ t: fc.constant('advance' as const), ms, settled: fc.boolean() }),
  },
  { weight: 4, arbitrary: tab.map((i): Command => ({ t: 'deliver', tab: i })) },
  { weight: 2, arbitrary: fc.constant<Command>({ t: 'settle' }) },
  { weight: 1, arbitrary: fc.constant<Command>({ t: 'quiet' }) },
);

const show = (c: Command) =>
  c.t === 'advance'
    ? `advance(${c.ms}${c.settled ? ', settled' : ''})`
    : 'tab' in c
      ? `tab${c.tab}.${c.t}`
      : c.t;

// ---------------------------------------------------------------------------------------------
// The fake browser: tabs that can be closed (destroy, then the browser frees everything) or crash
// (no destroy: the browser frees the locks, closes the channel, runs no more timers).

interface Tab {
  id: number;
  timer: IdleTimer;
  win: FakeWindow;
  /** For an idle: the lock question whose answer let it happen, and the deadline it passed. */
  events: { type: string; at: number; asked?: Question | undefined; due?: number | undefined }[];
  /** The last lock question answered here. */
  answered?: Question;
  /** Timer callbacks run. */
  fires: number;
  /** Timers set and not yet run or cleared. */
  timers: Set<unknown>;
  dead: boolean;
  kill(): void;
}

/** Orders lock questions and pauses (several may happen at one clock time). */
let order = 0;

/** A `locks.query()`: its order number and clock time. */
interface Question {
  order: number;
  at: number;
}

function createBrowser(withLocks: boolean) {
  const clock = createManualClock();
  const localStorage = new MemoryStorage();
  const sessionStorage = new MemoryStorage();
  const hub = createChannelHub();
  const lockManager = createLockManager();
  const random = seededRandom(SEED);
  /** Lock manager answers not yet given to their tab: per tab, in order. */
  const answers = new Map<number, (() => void)[]>();
  /** Due times of every tab's timers. */
  const due = new Map<unknown, number>();
  let opened = 0;

  function open(): Tab {
    const id = opened++;
    const queue: (() => void)[] = [];
    answers.set(id, queue);
    let die = () => {};
    const death = new Promise<void>((resolve) => {
      die = resolve;
    });
    const channels: ChannelLike[] = [];
    const win = createFakeWindow();
    const inner = lockManager.manager(`tab-${id}`);
    const answer = <T>(promise: Promise<T>, asked?: Question) =>
      new Promise<T>((resolve, reject) => {
        const give = (done: () => void) => () => {
          if (asked !== undefined) t.answered = asked;
          done();
        };
        promise.then(
          (value) => t.dead || queue.push(give(() => resolve(value))),
          (error) => t.dead || queue.push(give(() => reject(error))),
        );
      });
    const locks = {
      request(name: string, ...args: unknown[]) {
        const callback = args.pop() as (lock: Lock | null) => unknown;
        const options = (args[0] ?? {}) as LockOptions;
        if (t.dead) return Promise.reject(new DOMException('gone', 'AbortError'));
        const abort = new AbortController();
        options.signal?.addEventListener('abort', () => abort.abort(options.signal?.reason));
        void death.then(() => abort.abort(new DOMException('gone', 'AbortError')));
        const held = (lock: Lock | null) => Promise.race([Promise.resolve(callback(lock)), death]);
        return answer(inner.request(name, { ...options, signal: abort.signal }, held));
      },
      // The snapshot is taken now, and reaches the tab when delivered.
      query: () => answer(inner.query(), { order: ++order, at: clock.now() }),
    } as unknown as LockManager;
    const Channel = function (this: unknown, name: string) {
      const channel = new hub.BroadcastChannel(name);
      channels.push(channel);
      return channel;
    } as unknown as BroadcastChannelConstructor;
    const timers = new Set<unknown>();
    const t: Tab = {
      id,
      win,
      events: [],
      fires: 0,
      timers,
      dead: false,
      timer: createIdleTimer({
        timeoutMs: IDLE_MS,
        promptBeforeMs: PROMPT_MS,
        throttleMs: 0,
        env: {
          now: clock.now,
          setTimeout(fn: () => void, delay: number) {
            const handle = clock.setTimeout(() => {
              timers.delete(handle);
              due.delete(handle);
              if (t.dead) return;
              t.fires++;
              fn();
            }, delay);
            timers.add(handle);
            due.set(handle, clock.now() + Math.max(0, delay));
            return handle;
          },
          clearTimeout(handle: unknown) {
            timers.delete(handle);
            due.delete(handle);
            clock.clearTimeout(handle);
          },
          window: win.window,
          localStorage,
          sessionStorage,
          BroadcastChannel: Channel,
          locks: withLocks ? locks : null,
          random,
        },
      }),
      kill() {
        if (t.dead) return;
        t.dead = true;
        die();
        queue.length = 0;
        for (const channel of channels) channel.close();
        for (const handle of timers) {
          due.delete(handle);
          clock.clearTimeout(handle);
        }
        timers.clear();
      },
    };
    for (const type of ['idle-prompt', 'active'] as const) {
      t.timer.on(type, () => t.events.push({ type, at: clock.now() }));
    }
    t.timer.on('idle', () => {
      const due = t.timer.getState()?.deadline;
      t.events.push({ type: 'idle', at: clock.now(), asked: t.answered, due });
    });
    t.timer.on('error', ({ error }) => {
      throw new Error(`tab${id}: unexpected error ${error.code}`);
    });
    return t;
  }

  /** Give every tab the lock manager's answers, oldest first, until none is left. */
  async function deliverAll() {
    for (let round = 0; round < 100; round++) {
      await settle();
      const pending = [...answers.values()].filter((queue) => queue.length > 0);
      if (pending.length === 0) return;
      for (const queue of pending) queue.shift()?.();
    }
    throw new Error('lock answers never settle');
  }

  /** Deliver the oldest answer waiting for tab `id`, if any. */
  async function deliver(id: number) {
    answers.get(id)?.shift()?.();
    await settle();
  }

  /** Run the clock `ms` on, one timer instant at a time, microtasks (and, settled, answers) between. */
  async function advance(ms: number, settled: boolean) {
    const target = clock.now() + ms;
    for (;;) {
      const next = Math.min(...due.values());
      if (!(next <= target)) break;
      clock.advance(Math.max(0, next - clock.now()));
      if (settled) await deliverAll();
      else await settle();
    }
    clock.advance(target - clock.now());
    if (settled) await deliverAll();
    else await settle();
  }

  const stored = (): number | null => {
    const raw = localStorage.getItem(KEY);
    return raw === null ? null : (JSON.parse(raw) as { at: number }).at;
  };

  return { clock, open, deliver, deliverAll, advance, stored };
}

// ---------------------------------------------------------------------------------------------
// The run: commands, the model, the invariants

class Broken extends Error {}

async function run(withLocks: boolean, initial: number, commands: Command[]) {
  const browser = createBrowser(withLocks);
  const { clock } = browser;
  const slots: (Tab | null)[] = Array.from({ length: SLOTS }, () => null);
  /**
   * Tabs paused by their own `pause()` (not resumed, reset, closed or reloaded since), with the
   * order number of that pause.
   */
  const pausers = new Map<Tab, number>();
  /** The model's lower bound of any idle deadline: the last activity + timeout, or a resume's. */
  let earliest = 0;
  const trace: string[] = [];

  const state = (t: Tab): IdleState | null => t.timer.getState()?.state ?? null;
  const describeTabs = () =>
    slots
      .map((t, i) =>
        t
          ? `slot${i}=tab${t.id}:${state(t)}${pausers.has(t) ? '(own pause)' : ''} deadline ${
              t.timer.getState()?.deadline
            } remaining ${t.timer.remainingMs()} timers ${t.timers.size}`
          : `slot${i}=-`,
      )
      .join('; ');
  const fail = (message: string): never => {
    throw new Broken(
      `${message}\n  at ${clock.now()}; stored ${browser.stored()}, earliest idle ${earliest}\n  tabs: ${describeTabs()}\n  trace:\n    ${trace.slice(-40).join('\n    ')}`,
    );
  };
  const check = (ok: boolean, message: string) => {
    if (!ok) fail(message);
  };

  const open = (slot: number) => {
    const t = browser.open();
    slots[slot] = t;
    if (browser.stored() === null) earliest = Math.max(earliest, clock.now() + IDLE_MS);
    t.timer.start();
    return t;
  };
  const close = (slot: number, crash: boolean) => {
    const t = slots[slot];
    if (!t) return;
    if (!crash) t.timer.destroy();
    t.kill();
    pausers.delete(t);
    slots[slot] = null;
  };
  const open_ = () => slots.filter((t): t is Tab => t !== null);

  for (let i = 0; i < initial; i++) open(i);
  await browser.deliverAll();
  const seen = new Map<Tab, number>();

  const step = async (c: Command) => {
    const t = 'tab' in c ? slots[c.tab] : null;
    const before = t ? state(t) : null;
    switch (c.t) {
      case 'activity': {
        if (!t) return;
        // Accepted unless the tab is stopped, idle, or (not paused) past its deadline.
        const snapshot = t.timer.getState();
        const stored = browser.stored() ?? 0;
        const late =
          before !== 'paused' &&
          snapshot !== null &&
          clock.now() >= Math.max(snapshot.deadline, stored + IDLE_MS);
        t.win.fire('pointerdown');
        if (before !== null && before !== 'idle' && !late)
          earliest = Math.max(earliest, clock.now() + IDLE_MS);
        return;
      }
      case 'pause': {
        if (!t) return;
        // Documented: nothing while stopped, idle or at (or past) the deadline; a pause held for
        // another tab becomes this tab's own; a second pause() does nothing.
        const snapshot = t.timer.getState();
        const stored = browser.stored() ?? 0;
        const counting = before === 'active' || before === 'prompted';
        const inTime =
          counting &&
          snapshot !== null &&
          clock.now() < Math.max(snapshot.deadline, stored + IDLE_MS);
        t.timer.pause();
        const takes = before === 'paused' || inTime;
        check(
          (state(t) === 'paused') === takes,
          `pause() in tab${t.id} (${before}) ${takes ? 'should' : 'should not'} pause it`,
        );
        if (takes && !pausers.has(t)) pausers.set(t, ++order);
        return;
      }
      case 'resume': {
        if (!t) return;
        const own = pausers.has(t);
        const remaining = t.timer.remainingMs();
        t.timer.resume();
        if (!own) {
          check(state(t) === before, `resume() in tab${t.id} without its own pause changed it`);
          return;
        }
        pausers.delete(t);
        // Documented: the time left at pause(), or from the last activity when that leaves more.
        const deadline = clock.now() + remaining;
        check(
          t.timer.getState()?.deadline === deadline,
          `resume() in tab${t.id}: deadline ${t.timer.getState()?.deadline}, expected ${deadline}`,
        );
        earliest = Math.max(earliest, deadline);
        return;
      }
      case 'reset': {
        if (!t) return;
        t.timer.reset();
        pausers.delete(t);
        earliest = Math.max(earliest, clock.now() + IDLE_MS);
        return;
      }
      case 'close':
      case 'crash':
        close(c.tab, c.t === 'crash');
        return;
      case 'reload':
        if (!t) return;
        close(c.tab, false);
        open(c.tab);
        return;
      case 'open': {
        const free = slots.indexOf(null);
        if (free >= 0) open(free);
        return;
      }
      case 'advance':
        return browser.advance(c.ms, c.settled);
      case 'deliver':
        if (slots[c.tab]) return browser.deliver(slots[c.tab]?.id ?? -1);
        return;
      case 'settle':
        return browser.deliverAll();
      case 'quiet': {
        await browser.deliverAll();
        const paused = pausers.size > 0;
        const fires = new Map(open_().map((x) => [x, x.fires] as const));
        const allPaused = withLocks && open_().every((x) => state(x) === 'paused');
        await browser.advance(3 * IDLE_MS, true);
        for (const x of open_()) {
          if (!paused) {
            check(state(x) === 'idle', `quiet, no pause: tab${x.id} is ${state(x)}, not idle`);
          } else if (!pausers.has(x) && state(x) !== 'idle') {
            // Held for the pause (Web Locks), or kept active by its refreshes (without).
            const expected = withLocks ? 'paused' : 'active';
            check(
              state(x) === expected,
              `quiet while paused: tab${x.id} is ${state(x)}, not ${expected}`,
            );
          }
          if (allPaused)
            check(x.fires === fires.get(x), `tab${x.id}: timers fired while every tab was paused`);
        }
        return;
      }
    }
  };

  for (const c of commands) {
    const pausedBefore = new Map(pausers);
    const earliestBefore = earliest;
    trace.push(`${clock.now()}: ${show(c)}`);
    await step(c);
    const settled = c.t === 'settle' || c.t === 'quiet' || (c.t === 'advance' && c.settled);
    /** The first pause (order number) begun before this command and still held after it. */
    const held = Math.min(
      ...[...pausedBefore].filter(([x]) => pausers.has(x)).map(([, since]) => since),
    );
    for (const x of open_()) {
      const from = seen.get(x) ?? 0;
      const events = x.events.slice(from);
      seen.set(x, x.events.length);
      for (const e of events) trace.push(`  ${e.at}: tab${x.id} ${e.type}`);
      for (const e of events.filter((e) => e.type === 'idle')) {
        // 1. No idle while a pause (begun before this command) still holds — unless it was too
        // late: the tab asked the lock manager at (or past) its deadline before the pause began,
        // and the answer came after it. (Delivered late here; a real answer takes a few ms.)
        const asked = e.asked;
        const tooLate = !!asked && asked.order < held && e.due !== undefined && e.due <= asked.at;
        check(
          held === Infinity || tooLate,
          `tab${x.id} went idle at ${e.at} (deadline ${e.due}) while a pause held (pause #${held}, asked #${asked?.order} at ${asked?.at})`,
        );
        // The model's lower bound: no idle before the last activity + timeout, or a resume's.
        check(
          e.at >= earliestBefore,
          `tab${x.id} went idle at ${e.at}, before the earliest deadline ${earliestBefore}`,
        );
      }
    }
    // An own pause holds in its tab.
    for (const x of pausers.keys()) check(state(x) === 'paused', `tab${x.id} lost its own pause`);
    if (settled) {
      for (const x of open_()) {
        if (state(x) !== 'paused' || pausers.has(x)) continue;
        // 2. No tab stays held for another's pause when no open tab is paused (and never
        // without Web Locks).
        check(
          withLocks && pausers.size > 0,
          `tab${x.id} stays paused, but no open tab holds a pause`,
        );
      }
      // 4. A paused tab (Web Locks) runs no timer.
      if (withLocks)
        for (const x of open_())
          if (state(x) === 'paused')
            check(x.timers.size === 0, `paused tab${x.id} has ${x.timers.size} timers set`);
    }
  }
  for (const x of open_()) close(slots.indexOf(x), false);
}

describe('idle timer: the pause across tabs, random interleavings', () => {
  it(
    `holds its invariants over ${RUNS} runs (seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          // Mostly with Web Locks (today's browsers), sometimes without.
          fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
          fc.integer({ min: 2, max: 3 }),
          fc.array(command, { maxLength: MAX_COMMANDS, size: 'max' }),
          async (withLocks, initial, commands) => {
            try {
              await run(withLocks, initial, commands);
            } catch (error) {
              if (error instanceof Broken)
                throw new Error(
                  `${withLocks ? 'Web Locks' : 'no Web Locks'}, ${initial} tabs: ${commands.map(show).join(', ')}\n${error.message}`,
                );
              throw error;
            }
          },
        ),
        { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH, endOnFailure: true } : {}) },
      );
    },
    TIMEOUT_MS,
  );
});

// The races it found, as fixed lists (2 tabs with Web Locks; timeout 10 s, prompt 2 s).
describe('idle timer: the pause across tabs, races found by the model', () => {
  it('a late lock answer: a tab that asked at its prompt does not go idle on it while a pause begun since holds', async () => {
    // Both tabs ask at 8 s (the prompt); tab 0 pauses before tab 1's answer ("none paused")
    // arrives, 7.7 s late (a frozen tab). The answer was about the prompt, not the idle deadline.
    await run(true, 2, [
      { t: 'advance', ms: 8_000, settled: false },
      { t: 'pause', tab: 0 },
      { t: 'advance', ms: 7_700, settled: true },
      { t: 'quiet' },
    ]);
  });

  it('resume() at the prompt time: the state is published as active (not left paused) while the other tabs are asked', async () => {
    await run(true, 2, [
      { t: 'advance', ms: 8_000, settled: false },
      { t: 'pause', tab: 0 },
      { t: 'resume', tab: 0 },
      { t: 'settle' },
      { t: 'quiet' },
    ]);
  });
});
