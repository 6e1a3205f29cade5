import { createSession, type DraftStore, type Session } from 'sessionkeeper';
import { createDraftStore } from 'sessionkeeper/drafts';
import { createIdleTimer } from 'sessionkeeper/idle';
import { isUnauthorized } from './refused-token';

/** Idle settings of the page, kept in the URL (`?idle=120&prompt=30`, seconds; `?idle=off`). */
export interface IdleSettings {
  enabled: boolean;
  timeoutSeconds: number;
  promptSeconds: number;
}

export const DEFAULT_IDLE: IdleSettings = { enabled: true, timeoutSeconds: 120, promptSeconds: 30 };

function positive(value: string | null, fallback: number): number {
  const number = value === null ? Number.NaN : Number(value);
  return Number.isFinite(number) && number > 0 ? number : fallback;
}

/** The idle settings in `search`; anything missing or invalid falls back to the defaults. */
export function readIdleSettings(search: string): IdleSettings {
  const params = new URLSearchParams(search);
  if (params.get('idle') === 'off') return { ...DEFAULT_IDLE, enabled: false };
  const timeoutSeconds = positive(params.get('idle'), DEFAULT_IDLE.timeoutSeconds);
  const promptSeconds = positive(params.get('prompt'), DEFAULT_IDLE.promptSeconds);
  // The prompt must start after the timeout starts counting.
  return {
    enabled: true,
    timeoutSeconds,
    promptSeconds: promptSeconds < timeoutSeconds ? promptSeconds : timeoutSeconds / 2,
  };
}

/** `search` with the idle settings replaced (the lifetime ones kept). */
export function idleSearch(search: string, settings: IdleSettings): string {
  const params = new URLSearchParams(search);
  params.delete('prompt');
  if (settings.enabled) {
    params.set('idle', String(settings.timeoutSeconds));
    params.set('prompt', String(settings.promptSeconds));
  } else params.set('idle', 'off');
  return `?${params}`;
}

/** The absolute session lifetime (`?max=600&endWarn=60`, seconds); `maxSeconds: null` = none. */
export interface LifetimeSettings {
  maxSeconds: number | null;
  warnSeconds: number;
}

export const DEFAULT_LIFETIME: LifetimeSettings = { maxSeconds: null, warnSeconds: 60 };

export function readLifetimeSettings(search: string): LifetimeSettings {
  const params = new URLSearchParams(search);
  const max = params.get('max');
  return {
    maxSeconds: max === null ? null : positive(max, 600),
    warnSeconds: positive(params.get('endWarn'), DEFAULT_LIFETIME.warnSeconds),
  };
}

/** `search` with the lifetime settings replaced (the idle ones kept). */
export function lifetimeSearch(search: string, settings: LifetimeSettings): string {
  const params = new URLSearchParams(search);
  params.delete('max');
  params.delete('endWarn');
  if (settings.maxSeconds !== null) {
    params.set('max', String(settings.maxSeconds));
    params.set('endWarn', String(settings.warnSeconds));
  }
  return `?${params}`;
}

/**
 * Whether the mock server's readable `sk_session` cookie says a refresh cookie was set: only then
 * can a start-up refresh succeed. Without it (a first visit, after a sign-out) the page sends none,
 * instead of a refresh that the server must answer with a 400.
 */
export function hasSessionHint(): boolean {
  return document.cookie.split('; ').includes('sk_session=1');
}

/**
 * The playground's session, in cookie mode: the refresh token is an httpOnly cookie set by the
 * mock server, so nothing is stored in the page, and `probe` signs the user back in after a
 * reload with one silent refresh (when the hint cookie says there is a session to restore).
 * Tokens live in memory; other tabs share them. `isUnauthorized` is the README's GraphQL recipe:
 * a GraphQL `UNAUTHENTICATED` error (in a 200) is a refused token, like a 401.
 */
export function createPlaygroundSession(
  idle: IdleSettings,
  lifetime: LifetimeSettings = DEFAULT_LIFETIME,
): Session {
  return createSession({
    refresh: '/auth/refresh',
    logout: '/auth/logout',
    probe: hasSessionHint(),
    ...(idle.enabled
      ? {
          idle: createIdleTimer({
            timeoutMs: idle.timeoutSeconds * 1000,
            promptBeforeMs: idle.promptSeconds * 1000,
          }),
        }
      : {}),
    drafts: createDraftStore(),
    http: { prefix: '/api', retry: 0 },
    isUnauthorized,
    ...(lifetime.maxSeconds === null
      ? {}
      : { maxSessionMs: lifetime.maxSeconds * 1000, endWarningMs: lifetime.warnSeconds * 1000 }),
  });
}

/** The playground session's draft store (every playground session has one). */
export function draftsOf(session: Session): DraftStore {
  if (!session.drafts) throw new Error('The playground session was created without drafts');
  return session.drafts;
}
