import type { RuntimeEnv } from '../lib/env';
import type { Alarm } from './alarm';
import type { PauseBook } from './pause';
import type { IdleState } from './types';

/** What the pause needs of the idle timer (see `createIdleTimer`). */
export interface PauseHost {
  readonly env: RuntimeEnv;
  readonly book: PauseBook;
  readonly alarm: Alarm;
  /** Paused (with Web Locks) or kept fresh (without) for the other tabs too? */
  crossTab(): boolean;
  /** The timer's state; `null` while stopped. */
  state(): IdleState | null;
  /** Set the state (`paused` is published too, and closes an open prompt). */
  setState(state: 'active' | 'paused'): void;
  lastActivity(): number;
  deadline(): number;
  /** Take the stored last activity when later. */
  merge(now: number): void;
  /** Derive the state at `now` (`othersAsked`: no other tab is paused, just asked). */
  evaluate(now: number, othersAsked?: boolean): void;
  /** Activity at `at`: stored, broadcast, and evaluated at `now` unless paused. */
  touch(at: number, now?: number): void;
  /** A deadline check (merge and evaluate) while counting. */
  check(): void;
}

/**
 * `pause()` and `resume()`, and how a pause holds in every tab: see `IdleTimer.pause()`. With Web
 * Locks the paused tab holds a lock (`PauseBook`), and a tab about to prompt or go idle `ask()`s
 * first; without them the paused tab keeps the shared last activity fresh.
 */
export function createPausing(host: PauseHost, timeoutMs: number, refreshEveryMs: number) {
  const { env, book, alarm } = host;
  const counting = () => host.state() === 'active' || host.state() === 'prompted';

  /** Stop counting at `now` (for another tab's pause: `byOther`). */
  const hold = (now: number, byOther?: boolean) => {
    book.hold(host.deadline(), now, byOther);
    alarm.clear();
    host.setState('paused');
  };

  /** Leave a pause (this tab's or another's) at `now`, with the time it held. */
  const unpause = (now: number) => {
    book.release(now);
    host.setState('active');
  };

  return {
    unpause,
    /** Before a prompt or idle: paused while another tab is, going on once none is. */
    ask() {
      const ask = () =>
        book.ask(
          (asked) => {
            if (host.state() === null || (host.state() === 'paused' && !book.byOther)) return;
            const now = env.now();
            if (host.state() === 'paused') unpause(now);
            host.merge(now);
            // An answer that comes late (a frozen tab) says nothing of a pause begun since: an
            // idle deadline that fell due after the question is asked about again.
            if (asked < host.deadline() && now >= host.deadline()) return ask();
            host.evaluate(now, true);
          },
          () => counting() && hold(env.now(), true),
        );
      ask();
    },
    /** Paused without Web Locks: activity well before the other tabs would prompt. */
    keepFresh(): boolean {
      if (host.state() !== 'paused' || !host.crossTab() || env.locks()) return false;
      const now = env.now();
      const next = () => host.lastActivity() + refreshEveryMs;
      host.merge(now);
      if (now >= next()) host.touch(now);
      alarm.set(next(), now);
      return true;
    },
    pause() {
      // Held for another tab's pause: from now on this tab's own (with the time held).
      if (host.state() === 'paused' && book.byOther) return book.own();
      // A deadline check first: a user past the deadline (timers late after sleep) is idle
      // (once the other tabs say that none of them is paused).
      host.check();
      if (!counting() || env.now() >= host.deadline()) return;
      hold(env.now());
      host.check(); // without Web Locks: keeps the other tabs active
    },
    resume() {
      if (host.state() !== 'paused' || book.byOther) return;
      const now = env.now();
      unpause(now);
      host.merge(now);
      // Every tab goes on with the time held here: shared as the activity that leaves that much
      // (the lock is let go after this task, so a tab waiting for it reads it).
      const at = host.deadline() - timeoutMs;
      if (at > host.lastActivity()) host.touch(at, now);
      else host.evaluate(now);
    },
  };
}
