import * as oauth from 'oauth4webapi';
import { type HeldTokens, RefreshError, type RefreshFn, SessionError } from 'sessionkeeper';
import { statusOf } from './errors';
import type { Provider } from './provider';

/** The ID token's `sub` of a token response that oauth4webapi validated. */
export function idTokenSubject(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const sub = oauth.getValidatedIdTokenClaims(raw as oauth.TokenEndpointResponse)?.sub;
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
}

/**
 * A failed refresh in the session's terms: the grant is gone (`invalid_grant`, a 400/401, an
 * ID token that does not hold) → `rejected`, the session expires; 5xx/429 → `server`, and no
 * answer → `network`: both retried.
 */
function refreshFailure(thrown: unknown): RefreshError {
  if (thrown instanceof RefreshError) return thrown;
  // The DPoP key is gone or unusable: the refresh token is bound to it.
  if (thrown instanceof SessionError && thrown.code.startsWith('DPOP_')) {
    return new RefreshError('rejected', { cause: thrown, message: thrown.message });
  }
  const status = statusOf(thrown);
  if (thrown instanceof oauth.ResponseBodyError) {
    // A DPoP nonce asked for again after the retry says nothing of the grant: try again later.
    const transient =
      thrown.error === 'use_dpop_nonce' ||
      (status !== undefined && (status >= 500 || status === 429));
    const kind = transient ? 'server' : 'rejected';
    const said = thrown.error_description ? `: ${thrown.error_description}` : '';
    return new RefreshError(kind, {
      status: thrown.status,
      cause: thrown,
      message: `Token refresh failed: ${thrown.error}${said}`,
    });
  }
  if (status !== undefined) {
    const kind = status >= 500 || status === 429 ? 'server' : 'rejected';
    return new RefreshError(kind, { status, cause: thrown });
  }
  if (thrown instanceof oauth.OperationProcessingError) {
    return new RefreshError('rejected', { cause: thrown, message: thrown.message });
  }
  // A discovery that failed, or no answer at all: try again later.
  return new RefreshError('network', { cause: thrown });
}

/**
 * The session's `refresh`: the refresh_token grant at the provider's token endpoint with the
 * client id, through oauth4webapi (which validates an ID token in the answer). An ID token for
 * another user than the one signed in is a rejection (OpenID Connect Core §12.2).
 */
export function createRefresh(provider: Provider): RefreshFn {
  return async ({ refreshToken, userId: signedIn, signal }) => {
    if (!refreshToken) {
      throw new RefreshError('rejected', {
        message: 'No refresh token: ask for the offline_access scope (or enable refresh tokens)',
      });
    }
    try {
      const as = await provider.discover();
      const response = await oauth.refreshTokenGrantRequest(
        as,
        provider.client,
        provider.clientAuth,
        refreshToken,
        provider.requestOptions(signal, 'refresh'),
      );
      const result = await oauth.processRefreshTokenResponse(as, provider.client, response);
      const sub = idTokenSubject(result);
      if (sub !== undefined && signedIn !== undefined && sub !== signedIn) {
        throw new RefreshError('rejected', {
          message: 'The refreshed ID token names another user',
        });
      }
      return result;
    } catch (thrown) {
      throw refreshFailure(thrown);
    }
  };
}

/**
 * The session's `logout`: revoke the refresh token the logout just cleared (RFC 7009) at the
 * provider's revocation endpoint, with the client id. Best effort: a failure becomes the
 * session's `error` event (`LOGOUT_FAILED`); no revocation endpoint, or no refresh token, is
 * nothing to do.
 */
export function createRevoke(provider: Provider): (tokens: HeldTokens | null) => Promise<void> {
  return async (tokens) => {
    const token = tokens?.refreshToken;
    if (!token) return;
    try {
      const as = await provider.discover();
      if (!as.revocation_endpoint) return;
      const response = await oauth.revocationRequest(
        as,
        provider.client,
        provider.clientAuth,
        token,
        {
          ...provider.requestOptions(undefined, 'revocation'),
          additionalParameters: { token_type_hint: 'refresh_token' },
        },
      );
      await oauth.processRevocationResponse(response);
    } catch (cause) {
      throw new SessionError('LOGOUT_FAILED', 'The refresh token could not be revoked', { cause });
    }
  };
}
