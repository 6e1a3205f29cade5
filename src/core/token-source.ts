import type { RuntimeEnv } from '../lib/env';
import { RefreshError, type SessionError } from '../lib/errors';
import type { Refresher } from '../refresh/endpoints';
import type { Stamps } from '../tabs/stamps';
import { parseTokenResponse } from '../tokens/token-response';
import { type ParsedTokens, type TokenSet, toTokenSet } from '../tokens/token-set';
import { bearerOnly, type RequestSigner } from './modules';
import type { SessionOptions } from './types';

/** What the token source works with. */
export interface TokenSourceDeps {
  env: RuntimeEnv;
  options: Pick<SessionOptions, 'parseTokens' | 'userId'>;
  refresher: Refresher;
  stamps: Stamps;
  /** The token set held now (a refresh renews it). */
  held(): TokenSet | null;
  /** The module that signs the session's requests (`sessionkeeper/dpop`), if any. */
  signer(): RequestSigner | null;
  /** A token response of a type the session cannot send (`DPOP_TOKEN_TYPE`). */
  reportTokenType(error: SessionError): void;
}

/**
 * Where token sets come from: the app's login response, and the refresh endpoint. Each is
 * checked for a token type the session can send (the signer's check, else bearer only), parsed
 * (a bad one throws `TokenResponseError`), put on the local clock and stamped (see `stamps.ts`).
 */
export function createTokenSource(deps: TokenSourceDeps) {
  const { env, options, refresher, stamps, held } = deps;
  const parseTokens = options.parseTokens ?? parseTokenResponse;
  const parse = (raw: unknown, renews?: TokenSet | null): ParsedTokens =>
    toTokenSet(parseTokens(raw), raw, env.now(), options.userId, renews);
  const tokenTypeError = (raw: unknown) => {
    const signer = deps.signer();
    return signer ? signer.checkTokens(raw) : bearerOnly(raw);
  };

  return {
    /** A login: the token set that begins a new session. */
    fromLogin(raw: unknown): TokenSet {
      const typeError = tokenTypeError(raw);
      if (typeError) {
        deps.reportTokenType(typeError);
        throw typeError;
      }
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
      const raw = await refresher(renews, signal);
      const typeError = tokenTypeError(raw);
      if (typeError) {
        // Told once the refresh is over: it runs under the cross-tab lock. The refresh token was
        // spent: the session cannot go on (`rejected`).
        queueMicrotask(() => deps.reportTokenType(typeError));
        throw new RefreshError('rejected', { cause: typeError, message: typeError.message });
      }
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
