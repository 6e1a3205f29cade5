import type { Session } from 'sessionkeeper';
import { displayName, formatIn } from '../lib/format';
import { describeLastError, type LastError } from '../lib/last-error';
import { describeReason } from '../lib/reasons';
import { describeTimes, readIdle, secondsLeft } from '../lib/times';
import { byTestId, setText, showDialog } from './dom';

/**
 * Render the session card, the session-ending banner and the dialogs from the session's snapshot
 * and idle timer, every countdown at the same `now`.
 */
export function renderSession(session: Session, now: number, lastError: LastError | null): void {
  const snapshot = session.getSnapshot();
  const { status, user, expiresAt, pendingRequests, reason } = snapshot;
  const live = status === 'authenticated' || status === 'refreshing';
  const idle = readIdle(session);
  const times = describeTimes(snapshot, idle, now);

  const badge = byTestId('status');
  setText(badge, status);
  badge.dataset.status = status;
  badge.className = `badge status-${status}`;
  const userCell = byTestId('user');
  setText(userCell, displayName(user));
  userCell.dataset.user = user?.id ?? '';
  const expires = byTestId('expires-in');
  setText(expires, times.expiresIn);
  expires.dataset.expiresAt = String(expiresAt ?? '');
  setText(byTestId('refresh-in'), times.refreshIn);
  setText(byTestId('ends-in'), times.endsIn);
  setText(byTestId('idle-state'), times.idle);
  setText(byTestId('pending-requests'), String(pendingRequests));
  const errorCell = byTestId('last-error');
  setText(errorCell, describeLastError(lastError));
  errorCell.dataset.code = lastError?.code ?? '';
  errorCell.className = lastError && lastError.clearedAt === null ? 'bad' : 'muted';

  byTestId<HTMLButtonElement>('signout').disabled = status === 'anonymous';
  for (const id of ['revoke', 'refresh-now', 'expire-now']) {
    byTestId<HTMLButtonElement>(id).disabled = !live;
  }

  const ending = session.sessionEnding();
  const banner = byTestId('session-ending');
  banner.hidden = ending === null;
  if (ending) setText(byTestId('ending-in'), formatIn(ending.endsAt - now));

  const prompted = idle !== 'off' && idle?.state === 'prompted';
  showDialog(byTestId<HTMLDialogElement>('idle-dialog'), prompted);
  if (prompted) {
    const seconds = secondsLeft(idle.deadline, now);
    const countdown = byTestId('idle-countdown');
    setText(countdown, `${seconds} s`);
    countdown.dataset.seconds = String(seconds);
  }

  showDialog(byTestId<HTMLDialogElement>('relogin-dialog'), status === 'expired');
  const reasonLine = byTestId('relogin-reason');
  setText(reasonLine, describeReason(reason));
  reasonLine.dataset.reason = reason ?? '';
  const waiting =
    pendingRequests === 0
      ? ''
      : ` and ${pendingRequests} ${pendingRequests === 1 ? 'request waits' : 'requests wait'} to be sent`;
  setText(
    byTestId('relogin-kept'),
    `Nothing on this page was lost: your note is kept${waiting}. Signing in as someone else discards it.`,
  );
}
