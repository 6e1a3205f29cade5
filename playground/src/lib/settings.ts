import { createSession, type Session } from 'sessionkeeper';

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

/** The URL search string for `settings`. */
export function idleSearch(settings: IdleSettings): string {
  if (!settings.enabled) return '?idle=off';
  return `?idle=${settings.timeoutSeconds}&prompt=${settings.promptSeconds}`;
}

/**
 * The playground's session, in cookie mode: the refresh token is an httpOnly cookie set by the
 * mock server, so nothing is stored in the page, and `probe` signs the user back in after a
 * reload with one silent refresh. Tokens live in memory; other tabs share them.
 */
export function createPlaygroundSession(idle: IdleSettings): Session {
  return createSession({
    refresh: '/auth/refresh',
    logout: '/auth/logout',
    probe: true,
    idle: idle.enabled
      ? { timeoutMs: idle.timeoutSeconds * 1000, promptBeforeMs: idle.promptSeconds * 1000 }
      : false,
    http: { prefix: '/api', retry: 0 },
  });
}
