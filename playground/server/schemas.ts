import * as z from 'zod/mini';
import { HttpError } from './http';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const int = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

/** Where the refresh token travels: an httpOnly cookie (default) or the JSON body. */
export const refreshMode = z.enum(['cookie', 'body']);
export type RefreshMode = z.infer<typeof refreshMode>;

/** `POST /auth/login` (JSON or form). The password is optional and not checked (demo users). */
export const loginSchema = z.object({
  username: text(64),
  password: z.optional(z.string().check(z.maxLength(256))),
  mode: z.optional(refreshMode),
});

/** `POST /auth/refresh` (RFC 6749 §6; form or JSON). `grant_type` is checked by the route. */
export const refreshSchema = z.object({
  grant_type: z.optional(text(64)),
  refresh_token: z.optional(text(512)),
  client_id: z.optional(text(256)),
  scope: z.optional(z.string().check(z.maxLength(1024))),
});

/** `POST /auth/logout` (RFC 7009; form or JSON). */
export const logoutSchema = z.object({
  token: z.optional(text(4096)),
  token_type_hint: z.optional(z.enum(['refresh_token', 'access_token'])),
  client_id: z.optional(text(256)),
});

/** `POST /mock/config`: lifetimes in seconds, latency in milliseconds. */
export const configSchema = z.object({
  accessTtlSeconds: z.optional(int(1, 86_400)),
  refreshTtlSeconds: z.optional(int(1, 30 * 86_400)),
  latencyMs: z.optional(int(0, 30_000)),
});
export type MockConfigPatch = z.infer<typeof configSchema>;

/** `POST /mock/revoke` and `POST /mock/invalidate-access`. */
export const revokeSchema = z.object({ username: text(64) });

/** What `POST /mock/fail-next-refresh` makes the next refresh do. */
export const failureKind = z.enum(['network', 'server', 'invalid_grant']);
export type FailureKind = z.infer<typeof failureKind>;

/** `POST /mock/fail-next-refresh`: fail the next `count` [1] refreshes. */
export const failSchema = z.object({
  kind: failureKind,
  count: z.optional(int(1, 1000)),
});

/** The query of `GET /api/slow`: `ms` is a whole number of milliseconds, at most 60 s. */
export const slowSchema = z.object({
  ms: z.pipe(z.string().check(z.regex(/^\d{1,5}$/)), z.transform(Number)).check(z.lte(60_000)),
});

/** `POST /api/graphql` (JSON, as GraphQL over HTTP sends it). */
export const graphqlSchema = z.object({
  query: text(2000),
  operationName: z.optional(z.nullable(text(128))),
  variables: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

/** `POST /api/contact`: a message from someone who need not be signed in. */
export const contactSchema = z.object({
  email: z.optional(z.string().check(z.maxLength(254))),
  message: text(4000),
});

/** Parse `data` with `schema` or throw a 400 `invalid_request` naming every problem. */
export function validate<T extends z.ZodMiniType>(schema: T, data: unknown): z.infer<T> {
  const result = z.safeParse(schema, data);
  if (result.success) return result.data;
  const description = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new HttpError(400, 'invalid_request', description);
}
