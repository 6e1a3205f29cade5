import type { Session } from 'sessionkeeper';
import { formatClock } from './format';

/** The session's last error as the page keeps it: when it came, and when it was cleared. */
export interface LastError {
  code: string;
  message: string;
  at: number;
  /** When the session cleared it (the next successful refresh or sign-in); `null` while current. */
  clearedAt: number | null;
}

/**
 * Follow `snapshot.lastError`, which the session clears as soon as things work again: the page
 * keeps the last one with its time, and the time it was cleared, instead of letting it vanish.
 * Returns the function that stops following.
 */
export function trackLastError(
  session: Session,
  onChange: (lastError: LastError | null) => void,
): () => void {
  let seen: unknown = null;
  let record: LastError | null = null;
  const check = () => {
    const { lastError } = session.getSnapshot();
    if (lastError === seen) return;
    seen = lastError;
    if (lastError) {
      record = {
        code: lastError.code,
        message: lastError.message,
        at: Date.now(),
        clearedAt: null,
      };
    } else if (record && record.clearedAt === null) {
      record = { ...record, clearedAt: Date.now() };
    } else return;
    onChange(record);
  };
  check();
  return session.subscribe(check);
}

/** "REFRESH_SERVER: … (at 14:03:07, cleared 14:03:08)", or "none". */
export function describeLastError(lastError: LastError | null): string {
  if (!lastError) return 'none';
  const cleared =
    lastError.clearedAt === null ? '' : `, cleared ${formatClock(lastError.clearedAt)}`;
  return `${lastError.code}: ${lastError.message} (at ${formatClock(lastError.at)}${cleared})`;
}
