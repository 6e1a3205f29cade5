export { createSession, type Session } from './core/create-session';
export { createDraftStore } from './drafts/draft-store';
export type {
  DraftScopeOptions,
  DraftStore,
  DraftStoreEventMap,
  DraftStoreEventType,
  DraftStoreOptions,
  DraftValues,
} from './drafts/types';
export type { Env, StorageLike } from './lib/env';
export {
  type ErrorCode,
  isSessionError,
  QueueFullError,
  RefreshError,
  type RefreshErrorKind,
  SessionError,
  SessionExpiredError,
  type TokenIssue,
  TokenResponseError,
} from './lib/errors';
export { skipAuthHook } from './http/client';
export { createIdleTimer } from './idle/idle-timer';
export {
  DEFAULT_IDLE_EVENTS,
  type IdleTimer,
  type IdleTimerEventMap,
  type IdleTimerEventType,
  type IdleTimerOptions,
  type IdleTimerState,
} from './idle/types';
export { decodeJwtClaims, type JwtClaims } from './tokens/jwt';
export type { SessionEnding } from './core/lifetime';
export { parseTokenResponse, type TokenInput } from './tokens/token-set';
export type {
  CrossTabOptions,
  DraftOptions,
  ErrorSource,
  ExpireReason,
  IdleOptions,
  IdleState,
  LogoutEndpoint,
  QueueOptions,
  RefreshContext,
  RefreshEndpoint,
  RefreshFn,
  SessionEventMap,
  SessionEventType,
  SessionOptions,
  SessionRequestInit,
  SessionSnapshot,
  SessionStatus,
  SessionUser,
  TokenStorageOption,
} from './core/types';
