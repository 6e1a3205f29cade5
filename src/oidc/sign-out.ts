import type { Session } from 'sessionkeeper';
import type { OidcContext } from './context';
import { OidcError } from './errors';
import { blocked, openPopup, waitForPopup } from './popup';
import type { PopupWindow, SignOutOptions } from './types';

/**
 * The provider's end-session URL (OpenID Connect RP-Initiated Logout 1.0): `id_token_hint` when
 * the ID token is known, `client_id` always, `post_logout_redirect_uri` when there is one.
 */
function endSessionUrl(
  endpoint: string,
  clientId: string,
  idToken: string | undefined,
  target: string | undefined,
): string {
  const url = new URL(endpoint);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('client_id', clientId);
  if (target) url.searchParams.set('post_logout_redirect_uri', target);
  return url.href;
}

/** Sign-out: revocation and the session cleared in every tab, then the provider's session. */
export function createSignOut(context: OidcContext) {
  const { provider, options, runtime } = context;

  const finish = async (session: Session, popup: PopupWindow | null, sign: SignOutOptions) => {
    // Read before the logout clears it: the provider knows whom to sign out without asking.
    const idToken = session.getIdToken() ?? undefined;
    // Clears every tab; the session's `logout` revokes the refresh token (awaited).
    await session.logout();
    if (sign.endSession === false) return;
    let endpoint: string | undefined;
    try {
      endpoint = (await provider.discover()).end_session_endpoint;
    } catch (error) {
      popup?.close();
      throw error;
    }
    if (!endpoint) {
      popup?.close();
      throw new OidcError(
        'OIDC_END_SESSION_UNSUPPORTED',
        'Signed out here, but the provider has no end_session_endpoint: its session goes on',
      );
    }
    const target =
      sign.postLogoutRedirectUri ??
      (popup ? context.popupRedirectUri : options.postLogoutRedirectUri?.toString());
    const url = endSessionUrl(endpoint, provider.client.client_id, idToken, target);
    if (!popup) {
      context.window().location.assign(url);
      return;
    }
    popup.location.replace(url);
    await waitForPopup(popup, target ?? context.popupRedirectUri, runtime, context.popupTimeoutMs);
  };

  return {
    signOut(session: Session, sign: SignOutOptions = {}): Promise<void> {
      let popup: PopupWindow | null = null;
      if (sign.popup && sign.endSession !== false) {
        // Opened now, in the click's task; blocked: nothing is signed out yet.
        try {
          popup = openPopup(context.window());
        } catch (error) {
          return Promise.reject(error);
        }
        if (!popup) return Promise.reject(blocked());
      }
      return finish(session, popup, sign);
    },
  };
}
