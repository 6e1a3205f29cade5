import { type Session, SessionError } from 'sessionkeeper';
import { type AuthorizationRequest, DEFAULT_SCOPE, startFlow } from './authorize';
import { completeFlow, isAuthorizationResponse, responseParams } from './callback';
import type { OidcContext } from './context';
import { OidcError, serverError } from './errors';
import { blocked, openPopup, waitForPopup } from './popup';
import type { CallbackResult, OidcWindow, PopupWindow, SignInOptions } from './types';

/** Is this window a popup opened by a page of the same origin (which reads its URL)? */
function openedByApp(win: OidcWindow): boolean {
  try {
    const opener = win.opener as { location?: { origin?: string } } | null | undefined;
    return !!opener && opener !== win && opener.location?.origin === win.location.origin;
  } catch {
    return false; // an opener of another origin
  }
}

/** Sign-in by redirect, by popup, and the redirect's callback. */
export function createSignIn(context: OidcContext) {
  const { provider, flows, runtime, options } = context;
  /** The popup sign-in under way: a second call joins it. */
  let pending: { popup: PopupWindow; done: Promise<void> } | null = null;
  /** Callbacks handled by this page, by URL: a second call (React's StrictMode) gets the same. */
  const handled = new Map<string, Promise<CallbackResult | null>>();

  const request = (popup: boolean, sign: SignInOptions, win: OidcWindow): AuthorizationRequest => ({
    redirectUri: popup ? context.popupRedirectUri : context.redirectUri,
    scope: options.scope ?? DEFAULT_SCOPE,
    params: { ...options.params, ...sign.params },
    returnTo: sign.returnTo ?? win.location.href,
    appState: sign.state,
  });

  const byRedirect = async (win: OidcWindow, sign: SignInOptions) => {
    const { flow, url } = await startFlow(provider, request(false, sign, win));
    if (!flows.save(flow)) {
      throw new SessionError(
        'STORAGE_UNAVAILABLE',
        'A redirect sign-in keeps its PKCE verifier in sessionStorage, which is unavailable: sign in with a popup',
      );
    }
    win.location.assign(url);
  };

  const byPopup = async (
    session: Session,
    popup: PopupWindow,
    win: OidcWindow,
    sign: SignInOptions,
  ) => {
    let started: Awaited<ReturnType<typeof startFlow>>;
    try {
      // The popup's flow stays in memory: this page reads the answer from the popup itself.
      started = await startFlow(provider, request(true, sign, win));
      popup.location.replace(started.url);
    } catch (error) {
      popup.close();
      throw error;
    }
    const answer = await waitForPopup(
      popup,
      context.popupRedirectUri,
      runtime,
      context.popupTimeoutMs,
    );
    const tokens = await completeFlow(provider, started.flow, responseParams(answer));
    await session.login(tokens);
  };

  const callback = async (session: Session, href: string, win: OidcWindow) => {
    const params = responseParams(new URL(href));
    const state = params.get('state');
    // A popup's answer: the page that opened the popup reads it from here.
    if (openedByApp(win) && !flows.has(state)) return null;
    const taken = await flows.take(state);
    if (taken.kind === 'used') {
      throw new OidcError(
        'OIDC_CALLBACK_USED',
        'This sign-in was completed already (the callback page was opened again): start a new one',
      );
    }
    if (taken.kind === 'missing') {
      const error = params.get('error');
      if (error) throw serverError(error, params.get('error_description') ?? undefined);
      throw new OidcError(
        'OIDC_TRANSACTION_MISSING',
        'No sign-in of this tab waits for this callback (started in another tab or browser, or its PKCE verifier is gone)',
      );
    }
    // Another flow's state fails the state check of the response.
    const tokens = await completeFlow(provider, taken.flow, params);
    await session.login(tokens);
    const { returnTo, appState } = taken.flow;
    // The code leaves the address bar and the history; another origin is the app's to go to.
    if (new URL(returnTo, href).origin === win.location.origin) {
      win.history?.replaceState(null, '', returnTo);
    }
    return { returnTo, state: appState };
  };

  return {
    signIn(session: Session, sign: SignInOptions = {}): Promise<void> {
      let win: OidcWindow;
      try {
        win = context.window();
      } catch (error) {
        return Promise.reject(error);
      }
      if (!sign.popup) return byRedirect(win, sign);
      if (pending && !pending.popup.closed) {
        pending.popup.focus?.();
        return pending.done;
      }
      // Opened now, in the click's task: after an await the browser would block it.
      const popup = openPopup(win);
      if (!popup) return Promise.reject(blocked());
      const done = byPopup(session, popup, win, sign).finally(() => {
        if (pending?.popup === popup) pending = null;
      });
      pending = { popup, done };
      return done;
    },

    isCallback(url?: string | URL): boolean {
      return isAuthorizationResponse(new URL(url ?? context.window().location.href));
    },

    handleCallback(session: Session, url?: string | URL): Promise<CallbackResult | null> {
      let win: OidcWindow;
      try {
        win = context.window();
      } catch (error) {
        return Promise.reject(error);
      }
      const href = String(url ?? win.location.href);
      let result = handled.get(href);
      if (!result) {
        result = callback(session, href, win);
        handled.set(href, result);
      }
      return result;
    },
  };
}
