import { createFlowStorage, type FlowStorage } from './flow-storage';
import { POPUP_TIMEOUT_MS } from './popup';
import { createProvider, type OidcRuntime, type Provider, resolveRuntime } from './provider';
import type { OidcOptions, OidcWindow } from './types';

/** What the sign-in and sign-out flows share: the options checked, the provider, the storage. */
export interface OidcContext {
  readonly options: OidcOptions;
  readonly runtime: OidcRuntime;
  readonly provider: Provider;
  readonly flows: FlowStorage;
  readonly redirectUri: string;
  readonly popupRedirectUri: string;
  readonly popupTimeoutMs: number;
  /** The window, or a TypeError: the flows need a browser. */
  window(): OidcWindow;
}

const url = (value: string | URL, option: string): string => {
  try {
    return new URL(value).href;
  } catch {
    throw new TypeError(`sessionkeeper/oidc: ${option} must be an absolute URL (got ${value})`);
  }
};

/**
 * Check the options and build what the flows share.
 * @throws TypeError for a missing client id or a URL that is not absolute; RangeError for a
 *   popup timeout that is not a positive number
 */
export function createContext(options: OidcOptions): OidcContext {
  if (typeof options.clientId !== 'string' || options.clientId === '') {
    throw new TypeError('sessionkeeper/oidc: clientId is required');
  }
  url(options.issuer, 'issuer');
  const redirectUri = url(options.redirectUri, 'redirectUri');
  const popupTimeoutMs = options.popupTimeoutMs ?? POPUP_TIMEOUT_MS;
  if (!(popupTimeoutMs > 0)) {
    throw new RangeError('sessionkeeper/oidc: popupTimeoutMs must be a positive number of ms');
  }
  const runtime = resolveRuntime(options.env);
  const name = options.name ?? 'sessionkeeper';
  const context: OidcContext = {
    options,
    runtime,
    provider: createProvider(options, runtime),
    flows: createFlowStorage(() => runtime.sessionStorage(), name),
    redirectUri,
    popupRedirectUri: options.popupRedirectUri
      ? url(options.popupRedirectUri, 'popupRedirectUri')
      : redirectUri,
    popupTimeoutMs,
    window() {
      const win = runtime.window();
      if (!win) throw new TypeError('sessionkeeper/oidc: signing in needs a browser window');
      return win;
    },
  };
  return context;
}
