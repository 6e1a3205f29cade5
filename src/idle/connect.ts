import type { SessionPort } from '../core/modules';
import type { IdleTimer, IdleTimerOptions } from './types';

/**
 * A session's idle timer: it runs while a user is signed in, its events become the session's,
 * its state is mirrored in the snapshot, and idle ends the session the way `onIdle` says.
 */
export function connectIdle(
  timer: IdleTimer,
  port: SessionPort,
  onIdle: IdleTimerOptions['onIdle'] = 'expire',
): void {
  for (const type of ['idle-prompt', 'active', 'error'] as const) {
    timer.on(type, (event) => port.emit(type, event));
  }
  timer.on('idle', (event) => {
    timer.stop();
    port.emit('idle', event);
    if (onIdle === 'expire') port.expire('idle');
    else if (onIdle === 'logout') void port.logout();
    else onIdle();
  });
  // The snapshot follows state changes only: the deadline moves with every burst of activity,
  // and re-rendering every `useSession()` component twice a second for it would be waste
  // (`useIdleTimer()` and `session.idle` give the live deadline).
  let mirrored = timer.getState();
  timer.subscribe(() => {
    const next = timer.getState();
    if (next === null || mirrored === null || next.state !== mirrored.state) {
      mirrored = next;
      port.setIdle(next);
    }
  });
  // A login starts a fresh timeout; a restore (reload, another tab) continues the stored one.
  port.on('signed-in', ({ restored }) => {
    if (restored) timer.start();
    else timer.reset();
    mirrored = timer.getState();
    port.setIdle(mirrored);
  });
  port.on('signed-out', () => timer.stop());
  port.on('destroy', () => timer.destroy());
}
