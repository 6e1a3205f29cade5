import * as z from 'zod/mini';
import { TokenResponseError } from '../lib/errors';

/** What `parseTokens` returns: the token response in sessionkeeper's terms. */
export interface TokenInput {
  accessToken: string;
  /** Lifetime of the access token in seconds, counted from when the response arrived. */
  expiresIn?: number | undefined;
  /** Expiry of the access token in epoch ms on the server's clock. */
  expiresAt?: number | undefined;
  refreshToken?: string | undefined;
  /** Lifetime of the refresh token in seconds (Keycloak's `refresh_expires_in`). */
  refreshExpiresIn?: number | undefined;
  /** Expiry of the refresh token in epoch ms on the server's clock. */
  refreshExpiresAt?: number | undefined;
  idToken?: string | undefined;
}

/** Ten years: a longer lifetime is a server bug (or ms sent as seconds), not a session. */
export const MAX_LIFETIME_S = 315_360_000;

let schema: z.ZodMiniType<TokenInput> | undefined;

/**
 * Validates a {@link TokenInput} (also what a custom `parseTokens` returns). Built at its first
 * use, not when the module loads: a tab that takes its session from another tab never needs it.
 */
function tokenInputSchema() {
  if (schema) return schema;
  const epochMs = z.number().check(z.gt(0), z.lt(1e15));
  const nonEmptyString = z.string().check(z.minLength(1));
  const accessLifetimeS = z.number().check(z.gt(0), z.lte(MAX_LIFETIME_S));
  // Keycloak sends `refresh_expires_in: 0` for "never expires" (offline tokens).
  const refreshLifetimeS = z.number().check(z.gte(0), z.lte(MAX_LIFETIME_S));
  schema = z.object({
    accessToken: nonEmptyString,
    expiresIn: z.optional(accessLifetimeS),
    expiresAt: z.optional(epochMs),
    refreshToken: z.optional(nonEmptyString),
    refreshExpiresIn: z.optional(refreshLifetimeS),
    refreshExpiresAt: z.optional(epochMs),
    idToken: z.optional(nonEmptyString),
  });
  return schema;
}
/** How each field of a token response is read: its RFC 6749 name, and what it holds. */
const FIELDS: Record<keyof TokenInput, { snake: string; kind: 'text' | 'seconds' | 'instant' }> = {
  accessToken: { snake: 'access_token', kind: 'text' },
  expiresIn: { snake: 'expires_in', kind: 'seconds' },
  expiresAt: { snake: 'expires_at', kind: 'instant' },
  refreshToken: { snake: 'refresh_token', kind: 'text' },
  refreshExpiresIn: { snake: 'refresh_expires_in', kind: 'seconds' },
  refreshExpiresAt: { snake: 'refresh_expires_at', kind: 'instant' },
  idToken: { snake: 'id_token', kind: 'text' },
};

export const invalidTokens = (message: string, path: PropertyKey[] = [], code = 'custom') =>
  new TokenResponseError([{ code, path, message }]);

/** Some servers send numbers as strings ("3600"): those become numbers, anything else stays. */
const numeric = (value: unknown) =>
  typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;

/** An absolute time in seconds or ms since the epoch: anything before 1973 in ms is seconds. */
const toEpochMs = (value: unknown) =>
  typeof value === 'number' && value < 1e11 ? value * 1000 : value;

/** The value of one field, in either spelling (camelCase wins), converted by its kind. */
function readField(data: Record<string, unknown>, name: keyof TokenInput): unknown {
  const { snake, kind } = FIELDS[name];
  const value = data[name] ?? data[snake];
  if (value === undefined || kind === 'text') return value;
  return kind === 'instant' ? toEpochMs(numeric(value)) : numeric(value);
}

/** JSON text parsed, or a TokenResponseError that says what the text was. */
function parseJsonText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (cause) {
    const preview = raw.trimStart().startsWith('<') ? 'an HTML page' : 'not JSON';
    throw new TokenResponseError(
      [{ code: 'invalid_json', path: [], message: `The response is ${preview}` }],
      { cause },
    );
  }
}

/**
 * The default `parseTokens`: an RFC 6749 §5.1 response (`access_token`, `expires_in`, optional
 * `refresh_token`, …) or its camelCase form (`accessToken`, `expiresIn`/`expiresAt`,
 * `refreshToken`). A JSON string is parsed first; numeric strings ("3600") are accepted;
 * absolute times may be in seconds or ms since the epoch. Throws {@link TokenResponseError}.
 * @example
 * parseTokenResponse({ access_token: 'eyJ…', expires_in: 3600, token_type: 'Bearer' })
 */
export function parseTokenResponse(raw: unknown): TokenInput {
  const data = typeof raw === 'string' ? parseJsonText(raw) : raw;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalidTokens('The token response must be a JSON object', [], 'invalid_type');
  }
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(FIELDS) as (keyof TokenInput)[]) {
    const value = readField(data as Record<string, unknown>, name);
    if (value !== undefined) input[name] = value;
  }
  if (input.accessToken === undefined) {
    throw invalidTokens('access_token is required', ['access_token']);
  }
  return checkTokenInput(input);
}

/** A {@link TokenInput}, validated (also what a custom `parseTokens` returns). */
export function checkTokenInput(input: unknown): TokenInput {
  const result = tokenInputSchema().safeParse(input);
  if (!result.success) throw new TokenResponseError(result.error.issues);
  return result.data;
}
