import type { SessionOptions } from '../core/types';

/** Does this response to a request that carried the token say the token was refused? */
export type RefusalCheck = (response: Response) => boolean | Promise<boolean>;

/**
 * The default: a 401, from the status alone. It answers synchronously, so a response costs no
 * copy, no body read and no extra turn of the event loop.
 */
const is401: RefusalCheck = (response) => response.status === 401;

/** Free the copy's share of the body when the check did not read it. */
const discard = (copy: Response) => {
  if (!copy.bodyUsed) copy.body?.cancel().catch(() => {});
};

/**
 * The check of the `isUnauthorized` option. A custom check is given a copy of the response, so
 * the app still reads the original; an unread copy is cancelled afterwards (else it would keep
 * a second buffer of the body until the original is read). A check that throws means `false`.
 */
export function createRefusalCheck(option: SessionOptions['isUnauthorized']): RefusalCheck {
  if (!option) return is401;
  return async (response) => {
    const copy = response.clone();
    try {
      return Boolean(await option(copy));
    } catch {
      return false;
    } finally {
      discard(copy);
    }
  };
}
