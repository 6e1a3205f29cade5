// The core entry, `sessionkeeper`. The idle timer and drafts are entries of their own
// (`sessionkeeper/idle`, `sessionkeeper/drafts`): only their types are named here.
export { createSession } from './core/session';
export type {
  CrossTabOptions,
  ErrorSource,
  ExpireReason,
  HeldTokens,
  LogoutEndpoint,
  QueueOptions,
  RefreshContext,
  RefreshEndpoint,
  RefreshFn,
  Session,
  SessionEnding,
  SessionEventMap,
  SessionEventType,
  SessionOptions,
  SessionRequestInit,
  SessionSnapshot,
  SessionStatus,
  SessionUser,
  TokenStorageOption,
} from './core/types';
export type {
  DraftAttachOptions,
  DraftScopeOptions,
  DraftStore,
  DraftStoreEventMap,
  DraftStoreEventType,
  DraftStoreOptions,
  DraftValues,
} from './drafts/types';
export { skipAuthHook } from './http/client';
export type {
  IdleState,
  IdleTimer,
  IdleTimerEventMap,
  IdleTimerEventType,
  IdleTimerOptions,
  IdleTimerState,
} from './idle/types';
export type { Env, StorageLike } from './lib/env';
export {
  type ErrorCode,
  isSessionError,
  type OidcErrorCode,
  QueueFullError,
  RefreshError,
  type RefreshErrorKind,
  SessionError,
  SessionExpiredError,
  type TokenIssue,
  TokenResponseError,
} from './lib/errors';
export { decodeJwtClaims, type JwtClaims } from './tokens/jwt';
export { parseTokenResponse, type TokenInput } from './tokens/token-response';
