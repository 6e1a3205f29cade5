import * as z from 'zod/mini';
import type { ChannelLike, RuntimeEnv } from '../env';
import { SessionError } from '../errors';
import { timestampSchema } from './last-activity';

const VERSION = 1;

/** The only message of the idle channel; anything else on it is ignored. */
const messageSchema = z.object({
  v: z.literal(VERSION),
  type: z.literal('activity'),
  at: timestampSchema,
});

export interface ActivityChannel {
  /** Tell the other tabs that the user was active at `at` (epoch ms). */
  post(at: number): void;
  close(): void;
}

/**
 * The idle timer's own BroadcastChannel: it carries the activity timestamp of each tab
 * (`{ v: 1, type: 'activity', at }`), validated on receipt. Returns `null` when there is no
 * BroadcastChannel here (activity then still reaches other tabs through the shared storage,
 * at their next deadline check).
 */
export function openActivityChannel(
  env: RuntimeEnv,
  name: string,
  onActivity: (at: number) => void,
  onError: (error: SessionError) => void,
): ActivityChannel | null {
  let channel: ChannelLike | null;
  try {
    channel = env.channel(name);
  } catch (cause) {
    // Sandboxed or opaque-origin documents may refuse to open a channel.
    onError(
      new SessionError('CHANNEL_UNAVAILABLE', 'Idle timer: BroadcastChannel unavailable', {
        cause,
      }),
    );
    return null;
  }
  if (!channel) return null;
  const open = channel;
  const listener = (event: { data: unknown }) => {
    const parsed = messageSchema.safeParse(event.data);
    if (parsed.success) onActivity(parsed.data.at);
  };
  open.addEventListener('message', listener);
  let reported = false;
  return {
    post(at) {
      try {
        open.postMessage({ v: VERSION, type: 'activity', at });
      } catch (cause) {
        if (!reported) {
          onError(
            new SessionError('CHANNEL_UNAVAILABLE', 'Idle timer: could not broadcast activity', {
              cause,
            }),
          );
        }
        reported = true;
      }
    },
    close() {
      open.removeEventListener('message', listener);
      open.close();
    },
  };
}
