import * as z from 'zod/mini';
import { epochMs } from '../tokens/token-response';
import { tokenSetSchema } from '../tokens/token-set';

/** Bumped when a message changes shape; tabs running another version ignore each other. */
export const PROTOCOL_VERSION = 3;

const base = { v: z.literal(PROTOCOL_VERSION), from: z.string() };

/**
 * A message from another tab; anything malformed, of another version, or unknown fails.
 * Token sets carry their stamps; a sign-out carries the stamp it was made at and the stamp of the
 * session it ends, an expiry also that session's user (see `stamps.ts`).
 */
export const messageSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('tokens'),
    kind: z.enum(['login', 'refresh']),
    tokens: tokenSetSchema,
  }),
  z.object({
    ...base,
    type: z.literal('signout'),
    kind: z.enum(['logout', 'expired']),
    reason: z.optional(z.enum(['refresh-rejected', 'unauthorized', 'idle', 'max-age', 'manual'])),
    stamp: epochMs,
    // 0: a logout in a tab that held no session.
    sessionStamp: z.number().check(z.gte(0), z.lt(1e15)),
    user: z.optional(
      z.object({ id: z.nullable(z.string()), claims: z.record(z.string(), z.unknown()) }),
    ),
  }),
  z.object({ ...base, type: z.literal('ask'), id: z.string() }),
  z.object({ ...base, type: z.literal('answer'), id: z.string(), tokens: tokenSetSchema }),
]);

export type TabMessage = z.infer<typeof messageSchema>;
