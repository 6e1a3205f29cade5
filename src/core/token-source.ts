import type { RuntimeEnv } from '../lib/env';
import type { Refresher } from '../refresh/endpoints';
import type { Stamps } from '../tabs/stamps';
import { parseTokenResponse } from '../tokens/token-response';
import { type ParsedTokens, type TokenSet, toTokenSet } from '../tokens/token-set';
import type { SessionOptions } from './types';

/** What the token source works with. */
export interface TokenSourceDeps {
  env: RuntimeEnv;
  options: Pick<SessionOptions, 'parseTokens' | 'userId'>;
  refresher: Refresher;
  stamps: Stamps;
  /** The token set held now (a refresh renews it). */
  held(): TokenSet | null;
}

/**
 * Where token sets come from: the app's login response, and the refresh endpoint. Each is
 * parsed (a bad one throws `TokenResponseError`), put on the local clock and stamped (see
 * `stamps.ts`).
 */
export function createTokenSource({ env, options, refresher, stamps, held }: TokenSourceDeps) {
  const parseTokens = options.parseTokens ?? parseTokenResponse;
  const parse = (raw: unknown, renews?: TokenSet | null): ParsedTokens =>
    toTokenSet(parseTokens(raw), raw, env.now(), options.userId, renews);

  return {
    /** A login: the token set that begins a new session. */
    fromLogin(raw: unknown): TokenSet {
      const tokens = parse(raw);
      const stamp = stamps.next();
      return { ...tokens, stamp, sessionStamp: stamp, startedAt: tokens.obtainedAt };
    },
    /**
     * A refresh request, parsed. It runs under the cross-tab lock, so it calls no event handler.
     * The new token set continues the session of the one it renews (none for a start-up probe:
     * then it begins one).
     */
    async refresh(signal: AbortSignal): Promise<TokenSet> {
      const renews = held();
      const raw = await refresher(renews?.refreshToken, signal);
      const tokens = parse(raw, renews);
      const stamp = stamps.next();
      return {
        ...tokens,
        stamp,
        sessionStamp: renews?.sessionStamp ?? stamp,
        startedAt: renews?.startedAt,
        // A refresh response that does not restate the refresh token's expiry keeps the known one.
        refreshExpiresAt: tokens.refreshExpiresAt ?? renews?.refreshExpiresAt,
      };
    },
  };
}
