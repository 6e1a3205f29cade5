import type { RuntimeEnv } from '../lib/env';
import { SessionError } from '../lib/errors';
import { isActivityMessage } from './last-activity';

export interface ActivityChannel {
  /** Tell the other tabs that the user was active at `at` (epoch ms). */
  post(at: number): void;
  close(): void;
}

/**
 * The idle timer's own BroadcastChannel: it carries the activity timestamp of each tab
 * (`{ v: 1, type: 'activity', at }`), validated on receipt (anything else on it is ignored). Returns `null` when there is no
 * BroadcastChannel here (activity then still reaches other tabs through the shared storage,
 * at their next deadline check). A channel that cannot be opened or posted to is reported
 * through `onError` once.
 */
export function openActivityChannel(
  env: RuntimeEnv,
  name: string,
  onActivity: (at: number) => void,
  onError: (error: SessionError) => void,
): ActivityChannel | null {
  let reported = false;
  const attempt = <T>(body: () => T): T | undefined => {
    try {
      return body();
    } catch (cause) {
      // Sandboxed or opaque-origin documents may refuse to open a channel.
      if (!reported)
        onError(
          new SessionError('CHANNEL_UNAVAILABLE', 'Idle timer: BroadcastChannel failed', { cause }),
        );
      reported = true;
      return undefined;
    }
  };
  const listener = (event: { data: unknown }) => {
    if (isActivityMessage(event.data)) onActivity(event.data.at);
  };
  const open = attempt(() => env.channel(name));
  if (!open) return null;
  open.addEventListener('message', listener);
  return {
    post: (at) => attempt(() => open.postMessage({ v: 1, type: 'activity', at })),
    close() {
      open.removeEventListener('message', listener);
      open.close();
    },
  };
}
