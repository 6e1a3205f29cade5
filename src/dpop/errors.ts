import { type DpopErrorCode, SessionError } from '../lib/errors';

/**
 * An error of `sessionkeeper/dpop`, with a stable `code` (see `DpopErrorCode`). Its `name` stays
 * `SessionError`, so `isSessionError` knows it in any realm.
 * @example
 * if (isSessionError(error, 'DPOP_KEY_MISSING')) await signInAgain();
 */
export class DpopError extends SessionError {
  declare readonly code: DpopErrorCode;

  constructor(code: DpopErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
