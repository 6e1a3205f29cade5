/**
 * One clock for every countdown of a page: each reads the same `now`, updated at the same tick,
 * so two countdowns to the same instant never show different seconds.
 */
const TICK_MS = 200;

let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

const tick = () => {
  now = Date.now();
  for (const listener of listeners) listener();
};

/** The clock's current time (epoch ms), as of its last tick. */
export function readClock(): number {
  return now;
}

/** Call `listener` on every tick; the clock runs while anyone listens. Returns the unsubscribe. */
export function subscribeClock(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = setInterval(tick, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
