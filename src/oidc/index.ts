// The OpenID Connect entry, `sessionkeeper/oidc`: sign-in by redirect or popup, the session's
// refresh and logout at the provider, RP-initiated logout. Built on oauth4webapi.

export type { OidcErrorCode } from 'sessionkeeper';
export { OidcError } from './errors';
export { createOidc } from './oidc';
export type {
  CallbackResult,
  Oidc,
  OidcEnv,
  OidcOptions,
  OidcSessionOptions,
  OidcWindow,
  PopupWindow,
  SignInOptions,
  SignOutOptions,
} from './types';
