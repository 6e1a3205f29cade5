import { createSession } from 'sessionkeeper';
import { createDraftStore } from 'sessionkeeper/drafts';
import { createOidc } from 'sessionkeeper/oidc';

const origin = window.location.origin;

/**
 * The page's provider: oidc-provider on this dev server at /idp (see
 * playground/server/oidc-plugin.ts), its client a public one with PKCE. `prompt=consent` is
 * oidc-provider's condition for `offline_access` (a refresh token); http is allowed because the
 * provider runs on 127.0.0.1.
 */
export const oidc = createOidc({
  issuer: `${origin}/idp`,
  clientId: 'playground-spa',
  redirectUri: `${origin}/oidc.html`,
  popupRedirectUri: `${origin}/oidc-popup.html`,
  postLogoutRedirectUri: `${origin}/oidc.html`,
  params: { prompt: 'consent' },
  allowInsecureRequests: true,
  name: 'sk-oidc',
});

/** The session: tokens in memory, refreshed at the provider, shared by this page's tabs. */
export const session = createSession({
  ...oidc.sessionOptions(),
  crossTab: { name: 'sk-oidc' },
  drafts: createDraftStore(),
  http: { prefix: '/oidc-api', retry: 0 },
});

/** The access token's lifetime at the provider, in s (its settings endpoint). */
export async function setAccessTtl(accessTtlSeconds: number): Promise<void> {
  await fetch('/oidc-api/settings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessTtlSeconds }),
  });
}
