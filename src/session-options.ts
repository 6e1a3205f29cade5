/** Defaults of the session's options, named with their unit. */
export const REFRESH_BEFORE_EXPIRY_MS = 120_000;
export const QUEUE_MAX_SIZE = 100;
export const QUEUE_HOLD_TIMEOUT_MS = 600_000;
/** How long a new tab waits for the open tabs to answer whether someone is signed in. */
export const INIT_TIMEOUT_MS = 500;
/** The default `crossTab.name`. */
export const DEFAULT_NAME = 'sessionkeeper';
