/**
 * A wall clock with timers that only move when the test says so. `advance(ms)` runs the timers
 * that fall due, each at its own instant; `jump(ms)` moves the clock without running any timer
 * (a laptop asleep, a frozen or throttled tab): the overdue timers then fire on the next
 * `advance`, late, as a browser fires them on wake.
 */
export function createManualClock(start = 1_700_000_000_000) {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  /** The delay of every `setTimeout` call, in order. */
  const delays: number[] = [];

  function due(limit: number): [number, { at: number; fn: () => void }] | undefined {
    let found: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of timers) {
      if (entry[1].at <= limit && (!found || entry[1].at < found[1].at)) found = entry;
    }
    return found;
  }

  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number): unknown => {
      delays.push(ms);
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (id: unknown): void => {
      timers.delete(id as number);
    },
    /** Move the clock forward, running due timers in order (a late one runs at the current time). */
    advance(ms: number): void {
      const target = now + ms;
      for (let next = due(target); next; next = due(target)) {
        const [id, timer] = next;
        timers.delete(id);
        now = Math.max(now, timer.at);
        timer.fn();
      }
      now = target;
    },
    /** Move the clock without running any timer. */
    jump(ms: number): void {
      now += ms;
    },
    /** Timers scheduled and not yet run or cleared. */
    get pending(): number {
      return timers.size;
    },
    delays,
  };
}

export type ManualClock = ReturnType<typeof createManualClock>;
