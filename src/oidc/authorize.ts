import * as oauth from 'oauth4webapi';
import { OidcError } from './errors';
import type { Flow } from './flow-storage';
import type { Provider } from './provider';

/** The default scope: who the user is, and a refresh token. */
export const DEFAULT_SCOPE = 'openid offline_access';

export interface AuthorizationRequest {
  redirectUri: string;
  scope: string;
  /** Extra parameters (`prompt`, `audience`, …): they never replace the protocol's own. */
  params: Record<string, string>;
  returnTo: string;
  appState?: unknown;
}

/** Parameters that belong to the flow: an app's `params` cannot set them. */
const OWN = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
]);

/**
 * A new sign-in: fresh `state`, `nonce` and PKCE verifier (S256), and the authorization URL
 * that carries them.
 */
export async function startFlow(
  provider: Provider,
  request: AuthorizationRequest,
): Promise<{ flow: Flow; url: string }> {
  const as = await provider.discover();
  if (!as.authorization_endpoint) {
    throw new OidcError('OIDC_DISCOVERY_FAILED', 'The provider has no authorization_endpoint');
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const flow: Flow = {
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    verifier,
    redirectUri: request.redirectUri,
    returnTo: request.returnTo,
    ...(request.appState === undefined ? {} : { appState: request.appState }),
  };
  const url = new URL(as.authorization_endpoint);
  for (const [name, value] of Object.entries(request.params)) {
    if (!OWN.has(name)) url.searchParams.set(name, value);
  }
  url.searchParams.set('client_id', provider.client.client_id);
  url.searchParams.set('redirect_uri', flow.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', request.scope);
  url.searchParams.set('state', flow.state);
  url.searchParams.set('nonce', flow.nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  // DPoP: the code is bound to the key the exchange will use (RFC 9449 §10).
  const jkt = await provider.thumbprint();
  if (jkt !== null) url.searchParams.set('dpop_jkt', jkt);
  return { flow, url: url.href };
}
