export { REFRESH_COOKIE, REFRESH_COOKIE_PATH, SESSION_HINT_COOKIE } from './auth-routes';
export type { AccessClaims } from './jwt';
export { createMockAuth, type MockAuthHandler, type NextFunction } from './mock-auth';
export { mockAuthPlugin } from './plugin';
export type { FailureKind, RefreshMode } from './schemas';
export { type RunningMockAuth, type StartOptions, startMockAuthServer } from './standalone';
export { MockAuthState } from './state';
export type {
  MockAuthOptions,
  MockConfig,
  MockCounters,
  MockStateSnapshot,
  SessionFamily,
  TokenResponse,
} from './types';
export { DEMO_USERS, type DemoUser } from './users';
