import { bench, describe } from 'vitest';
import { createIdleTimer } from '../../src/idle/idle-timer';
import type { Env, EnvWindow } from '../../src/lib/env';
import { createChannelHub } from '../helpers/channel';
import { createManualClock } from '../helpers/manual-clock';
import { MemoryStorage } from '../helpers/storage';
import { userEvent } from '../helpers/window';

const EVENTS_PER_RUN = 10_000;

/** A timer on a stub window that hands out its `mousemove` listener, to call it directly. */
function setup(throttleMs: number) {
  const clock = createManualClock();
  const listeners = new Map<string, (event: Event) => void>();
  const window: EnvWindow = {
    addEventListener: (type, listener) => listeners.set(type, listener),
    removeEventListener: (type) => listeners.delete(type),
  };
  const hub = createChannelHub();
  const env: Env = {
    now: clock.now,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    window,
    localStorage: new MemoryStorage(),
    BroadcastChannel: hub.BroadcastChannel,
  };
  const timer = createIdleTimer({ throttleMs, env });
  timer.start();
  const handler = listeners.get('mousemove');
  if (!handler) throw new Error('no mousemove listener');
  // A user's event: Node's own `Event` says `isTrusted: false`, which the timer ignores.
  const event = userEvent('mousemove');
  return { clock, timer, hub, fire: () => handler(event) };
}

// 10,000 events within one second (10 per ms): count the timers (re)scheduled and the
// broadcasts (each also a storage write) they cause.
function countPerStorm(throttleMs: number) {
  const { clock, hub, fire } = setup(throttleMs);
  const timers = clock.delays.length;
  for (let i = 0; i < EVENTS_PER_RUN; i++) {
    if (i > 0 && i % 10 === 0) clock.jump(1);
    fire();
  }
  return { reschedules: clock.delays.length - timers, broadcasts: hub.sent.length };
}

const throttled = countPerStorm(500);
const unthrottled = countPerStorm(0);
console.log(
  `idle: ${EVENTS_PER_RUN} activity events in 1 s -> ${throttled.reschedules} timer reschedules, ` +
    `${throttled.broadcasts} broadcasts (throttleMs 500); ` +
    `${unthrottled.reschedules} reschedules, ${unthrottled.broadcasts} broadcasts (throttleMs 0)`,
);

/** A rough ns/event figure for the log; the bench table below has the precise timings. */
function nsPerEvent(fire: () => void, tick?: () => void): number {
  const n = 200_000;
  let ns = 0;
  for (const _ of ['warm-up', 'measure']) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      tick?.();
      fire();
    }
    ns = ((performance.now() - t0) * 1e6) / n;
  }
  return ns;
}
{
  const hot = setup(500);
  hot.fire();
  const handled = setup(0);
  console.log(
    `idle: ~${nsPerEvent(hot.fire).toFixed(0)} ns per throttled event, ` +
      `~${nsPerEvent(handled.fire, () => handled.clock.jump(1)).toFixed(0)} ns per handled event`,
  );
  handled.timer.destroy();
  hot.timer.destroy();
}

describe('idle timer: cost of one activity event (x10,000 per iteration)', () => {
  const hot = setup(500);
  hot.fire(); // the throttle window is now open: every further event is dropped at once
  bench('throttled event (the hot path)', () => {
    for (let i = 0; i < EVENTS_PER_RUN; i++) hot.fire();
  });

  const handled = setup(0);
  bench('handled event (throttleMs 0: storage write + broadcast)', () => {
    for (let i = 0; i < EVENTS_PER_RUN; i++) {
      handled.clock.jump(1);
      handled.fire();
    }
    handled.hub.sent.length = 0;
  });
});
