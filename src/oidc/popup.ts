import { OidcError } from './errors';
import type { OidcRuntime } from './provider';
import type { OidcWindow, PopupWindow } from './types';

/** How often the popup is looked at, in ms: has it come back, was it closed? */
export const POPUP_POLL_MS = 200;
/** A popup sign-in or sign-out gives up after this long, in ms. */
export const POPUP_TIMEOUT_MS = 300_000;

const WIDTH = 500;
const HEIGHT = 640;

/**
 * Open an empty popup, centred on the page. Synchronous on purpose: called in the click
 * handler, before anything is awaited, it is not blocked. `null` when the browser blocked it.
 */
export function openPopup(win: OidcWindow): PopupWindow | null {
  const left = (win.screenX ?? 0) + Math.max(0, ((win.outerWidth ?? WIDTH) - WIDTH) / 2);
  const top = (win.screenY ?? 0) + Math.max(0, ((win.outerHeight ?? HEIGHT) - HEIGHT) / 2);
  const features = `popup,width=${WIDTH},height=${HEIGHT},left=${left},top=${top}`;
  try {
    return win.open('about:blank', 'sessionkeeper-oidc', features);
  } catch {
    return null;
  }
}

export const blocked = () =>
  new OidcError('OIDC_POPUP_BLOCKED', 'The browser blocked the popup: open it from a click');

/** The popup's URL while it shows a page of the app's origin; `null` while it is elsewhere. */
const readUrl = (popup: PopupWindow): URL | null => {
  try {
    const href = popup.location.href;
    return href && href !== 'about:blank' ? new URL(href) : null;
  } catch {
    return null; // on the provider's origin: not readable
  }
};

const samePage = (url: URL, target: URL) =>
  url.origin === target.origin && url.pathname === target.pathname;

/**
 * Wait for the popup to land on `target` (same origin and path; query and fragment are the
 * answer) and close it. Rejects with `OIDC_POPUP_CLOSED` when the user closed it and
 * `OIDC_POPUP_TIMEOUT` (closing it) after `timeoutMs`. Needs nothing of the landing page but
 * to be of the app's origin: it is read from here.
 */
export function waitForPopup(
  popup: PopupWindow,
  target: string,
  runtime: OidcRuntime,
  timeoutMs: number,
): Promise<URL> {
  const expected = new URL(target);
  const deadline = runtime.setTimeout(() => finish(null), timeoutMs);
  let poll: unknown;
  let settle: { resolve(url: URL): void; reject(error: OidcError): void };
  const finish = (result: URL | OidcError | null) => {
    runtime.clearTimeout(deadline);
    runtime.clearTimeout(poll);
    if (!(result instanceof OidcError)) {
      try {
        popup.close();
      } catch {
        // gone already
      }
    }
    if (result instanceof URL) settle.resolve(result);
    else if (result) settle.reject(result);
    else {
      settle.reject(
        new OidcError('OIDC_POPUP_TIMEOUT', `The popup did not come back within ${timeoutMs} ms`),
      );
    }
  };
  const look = () => {
    const url = readUrl(popup);
    if (url && samePage(url, expected)) return finish(url);
    if (popup.closed) return finish(new OidcError('OIDC_POPUP_CLOSED', 'The popup was closed'));
    poll = runtime.setTimeout(look, POPUP_POLL_MS);
  };
  return new Promise<URL>((resolve, reject) => {
    settle = { resolve, reject };
    poll = runtime.setTimeout(look, POPUP_POLL_MS);
  });
}
