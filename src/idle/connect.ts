import { createIdleTimer } from './idle-timer';
import type { IdleTimer } from './types';
import type { SessionContext } from '../core/context';

/**
 * The session's idle timer: it runs while a user is signed in, its events become session events,
 * its state is mirrored into the snapshot, and idle ends the session the way `onIdle` says.
 */
export function createSessionIdle(ctx: SessionContext): IdleTimer | null {
  const { events, internal, options } = ctx;
  if (!options.idle) return null;
  const { onIdle = 'expire', ...timerOptions } = options.idle === true ? {} : options.idle;
  const timer = createIdleTimer({
    ...timerOptions,
    crossTab: options.crossTab ?? true,
    ...(options.env ? { env: options.env } : {}),
  });
  for (const type of ['idle-prompt', 'active', 'error'] as const) {
    timer.on(type, (event) => events.emit(type, event));
  }
  timer.on('idle', (event) => {
    timer.stop();
    events.emit('idle', event);
    if (onIdle === 'expire') ctx.expire('idle');
    else if (onIdle === 'logout') void ctx.logout();
    else onIdle();
  });
  // The snapshot follows state changes only: the deadline moves with every burst of activity,
  // and re-rendering every `useSession()` component twice a second for it would be waste
  // (`useIdleTimer()` and `session.idle` give the live deadline).
  timer.subscribe(() => {
    const next = timer.getState();
    const previous = ctx.state.get().idle;
    if (next === null || previous === null || next.state !== previous.state)
      ctx.state.set({ idle: next });
  });
  // A login starts a fresh timeout; a restore (reload, another tab) continues the stored one.
  internal.on('signed-in', ({ restored }) => {
    if (restored) timer.start();
    else timer.reset();
    ctx.state.set({ idle: timer.getState() });
  });
  internal.on('signed-out', () => timer.stop());
  internal.on('destroy', () => timer.destroy());
  return timer;
}
