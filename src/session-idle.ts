import { createIdleTimer } from './idle/idle-timer';
import type { IdleTimer } from './idle/types';
import type { SessionContext } from './session-context';

/**
 * The session's idle timer: it runs while a user is signed in, its events become session events,
 * its state is mirrored into the snapshot, and idle ends the session the way `onIdle` says.
 */
export function createSessionIdle(ctx: SessionContext): IdleTimer | null {
  const option = ctx.options.idle;
  if (!option) return null;
  const { onIdle = 'expire', ...timerOptions } = option === true ? {} : option;
  const timer = createIdleTimer({
    ...timerOptions,
    crossTab: ctx.options.crossTab ?? true,
    ...(ctx.options.env ? { env: ctx.options.env } : {}),
  });
  const { events, internal } = ctx;
  timer.on('idle-prompt', (event) => events.emit('idle-prompt', event));
  timer.on('active', (event) => events.emit('active', event));
  timer.on('error', (event) => events.emit('error', event));
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
