import * as oauth from 'oauth4webapi';
import { authorizationError, exchangeError, OidcError } from './errors';
import type { Flow } from './flow-storage';
import type { Provider } from './provider';

/** An authorization response: a `code` or an `error`. */
export function isAuthorizationResponse(url: URL): boolean {
  return url.searchParams.has('code') || url.searchParams.has('error');
}

/** The response's parameters, or `OIDC_NOT_A_CALLBACK`. */
export function responseParams(url: URL): URLSearchParams {
  if (!isAuthorizationResponse(url)) {
    throw new OidcError('OIDC_NOT_A_CALLBACK', 'The URL carries no authorization response');
  }
  return url.searchParams;
}

/**
 * Complete a sign-in: check the authorization response (`iss`, `state`, the server's `error`),
 * exchange the code with the PKCE verifier, and validate the ID token (`iss`, `aud`, `exp`,
 * `nonce`) — all through oauth4webapi. Returns the token response for `session.login`.
 * @throws OidcError
 */
export async function completeFlow(
  provider: Provider,
  flow: Flow,
  params: URLSearchParams,
): Promise<oauth.TokenEndpointResponse> {
  const as = await provider.discover();
  let checked: URLSearchParams;
  try {
    checked = oauth.validateAuthResponse(as, provider.client, params, flow.state);
  } catch (thrown) {
    throw authorizationError(thrown, params, { state: flow.state, issuer: as.issuer });
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      provider.client,
      provider.clientAuth,
      checked,
      flow.redirectUri,
      flow.verifier,
      provider.requestOptions(undefined, 'sign-in'),
    );
    return await oauth.processAuthorizationCodeResponse(as, provider.client, response, {
      expectedNonce: flow.nonce,
      requireIdToken: true,
    });
  } catch (thrown) {
    throw exchangeError(thrown);
  }
}
