import { useSessionEnding } from 'sessionkeeper/react';
import { useNow } from './hooks';
import { formatIn } from './lib/format';

/**
 * The warning before the session's absolute end: every tab shows it at the same moment. It floats
 * over the page (nothing moves when it appears), counting down on the page's one clock.
 */
export function SessionEndingBanner() {
  const { warning, endsAt } = useSessionEnding();
  const now = useNow();
  if (!warning || endsAt === null) return null;
  return (
    <p className="banner warn floating" role="alert" data-testid="session-ending">
      Your session ends for good in <strong>{formatIn(endsAt - now)}</strong>, however active you
      are. Your form is kept: after signing in again it comes back.
    </p>
  );
}
