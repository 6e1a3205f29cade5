import * as z from 'zod/mini';
import type { TokenSet } from '../tokens';

/** Bumped when a message changes shape; tabs running another version ignore each other. */
export const PROTOCOL_VERSION = 1;

const tokenSet = z.object({
  accessToken: z.string().check(z.minLength(1)),
  refreshToken: z.optional(z.string()),
  idToken: z.optional(z.string()),
  obtainedAt: z.number().check(z.gt(0)),
  expiresAt: z.number().check(z.gt(0)),
  refreshExpiresAt: z.optional(z.number()),
  startedAt: z.optional(z.number()),
  userId: z.optional(z.string()),
  claims: z.record(z.string(), z.unknown()),
});

const base = { v: z.literal(PROTOCOL_VERSION), from: z.string() };

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

/** A message from another tab, or `null` when it is malformed, of another version, or unknown. */
export function readMessage(data: unknown): TabMessage | null {
  const result = messageSchema.safeParse(data);
  return result.success ? result.data : null;
}

/** Plain data for the channel (structured clone drops nothing we need, but keep it explicit). */
export function tokenPayload(tokens: TokenSet): z.infer<typeof tokenSet> {
  return JSON.parse(JSON.stringify(tokens));
}
