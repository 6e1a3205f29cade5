import * as z from 'zod/mini';
import { tokenSetSchema } from '../tokens/token-set';

/** Bumped when a message changes shape; tabs running another version ignore each other. */
export const PROTOCOL_VERSION = 2;

const base = { v: z.literal(PROTOCOL_VERSION), from: z.string() };

/**
 * A message from another tab; anything malformed, of another version, or unknown fails.
 * Token sets carry their stamps; a sign-out carries the stamp it was made at (see `stamps.ts`).
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
    stamp: z.number().check(z.gt(0), z.lt(1e15)),
  }),
  z.object({ ...base, type: z.literal('ask'), id: z.string() }),
  z.object({ ...base, type: z.literal('answer'), id: z.string(), tokens: tokenSetSchema }),
]);

export type TabMessage = z.infer<typeof messageSchema>;
