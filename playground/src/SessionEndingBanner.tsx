import { useSessionEnding } from 'sessionkeeper/react';
import { formatIn } from './lib/format';

/** The warning before the session's absolute end: every tab shows it at the same moment. */
export function SessionEndingBanner() {
  const { warning, remainingMs } = useSessionEnding();
  if (!warning) return null;
  return (
    <p className="banner warn" role="alert" data-testid="session-ending">
      Your session ends for good in <strong>{formatIn(remainingMs)}</strong>, however active you
      are. Your form is kept: after signing in again it comes back.
    </p>
  );
}
