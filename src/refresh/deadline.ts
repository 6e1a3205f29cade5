import type { RuntimeEnv } from '../lib/env';
import { RefreshError } from '../lib/errors';

/**
 * A signal that aborts with `outer`'s reason, or after `ms` with a network {@link RefreshError}
 * saying `message`; `done()` removes the timer and the listener.
 */
export const deadline = (env: RuntimeEnv, ms: number, outer: AbortSignal, message: string) => {
  const controller = new AbortController();
  const abort = () => controller.abort(outer.reason);
  if (outer.aborted) abort();
  else outer.addEventListener('abort', abort, { once: true });
  const timer = env.setTimeout(
    () => controller.abort(new RefreshError('network', { message })),
    ms,
  );
  return {
    signal: controller.signal,
    done() {
      env.clearTimeout(timer);
      outer.removeEventListener('abort', abort);
    },
  };
};

/** A promise that rejects with `signal`'s reason once it aborts. */
export const whenAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
