import { createContext } from './context';
import { createRefresh, createRevoke, idTokenSubject } from './session-wiring';
import { createSignIn } from './sign-in';
import { createSignOut } from './sign-out';
import type { Oidc, OidcOptions } from './types';

/**
 * Sign in with an OpenID Connect provider (Keycloak, Auth0, Okta, Entra ID, Zitadel, …): the
 * authorization-code flow with PKCE for a public client, by redirect or in a popup, on
 * oauth4webapi. The session's refresh and logout go to the provider's token and revocation
 * endpoints; the user is the ID token's `sub`.
 * @throws TypeError for a missing `clientId` or a URL option that is not absolute
 * @example
 * const oidc = createOidc({
 *   issuer: 'https://id.example.com/realms/app',
 *   clientId: 'web',
 *   redirectUri: `${location.origin}/callback`,
 * });
 * const session = createSession({ ...oidc.sessionOptions(), http: { prefix: '/api' } });
 * if (oidc.isCallback()) await oidc.handleCallback(session);
 * button.onclick = () => oidc.signIn(session, { popup: true });
 */
export function createOidc(options: OidcOptions): Oidc {
  const context = createContext(options);
  const { signIn, isCallback, handleCallback } = createSignIn(context);
  const { signOut } = createSignOut(context);
  return {
    sessionOptions(opts = {}) {
      return {
        refresh: createRefresh(context.provider),
        logout: createRevoke(context.provider),
        userId: (_claims, raw) => idTokenSubject(raw),
        storage: opts.storage ?? 'memory',
      };
    },
    signIn,
    isCallback,
    handleCallback,
    signOut,
  };
}
