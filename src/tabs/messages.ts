import * as z from 'zod/mini';
import { tokenSetSchema as tokenSet } from '../tokens';

/** Bumped when a message changes shape; tabs running another version ignore each other. */
export const PROTOCOL_VERSION = 1;

const base = { v: z.literal(PROTOCOL_VERSION), from: z.string() };

/** A message from another tab; anything malformed, of another version, or unknown fails. */
export const messageSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('tokens'),
    kind: z.enum(['login', 'refresh']),
    tokens: tokenSet,
  }),
  z.object({
    ...base,
    type: z.literal('signout'),
    kind: z.enum(['logout', 'expired']),
    reason: z.optional(z.enum(['refresh-rejected', 'unauthorized', 'idle', 'max-age', 'manual'])),
    at: z.number(),
  }),
  z.object({ ...base, type: z.literal('ask'), id: z.string() }),
  z.object({ ...base, type: z.literal('answer'), id: z.string(), tokens: tokenSet }),
]);

export type TabMessage = z.infer<typeof messageSchema>;
