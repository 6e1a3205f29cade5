import type { Session } from 'sessionkeeper';
import { displayName, formatIn, formatTime } from '../lib/format';
import type { TabsInfo } from '../lib/tabs';
import type { TimelineEntry } from '../lib/timeline';
import { byTestId, showDialog } from './dom';

const REASONS: Record<string, string> = {
  'refresh-rejected': 'The server did not renew your session (it was revoked or has expired).',
  unauthorized: 'The server no longer accepts your session.',
  idle: 'You were inactive for too long.',
  manual: 'The page ended your session.',
};

/** Render the status panel and the dialogs from the session's snapshot and idle timer. */
export function renderSession(session: Session): void {
  const { status, user, expiresAt, refreshAt, pendingRequests, reason } = session.getSnapshot();
  const now = Date.now();
  const live = status === 'authenticated' || status === 'refreshing';
  const badge = byTestId('status');
  badge.textContent = status;
  badge.dataset.status = status;
  badge.className = `badge status-${status}`;
  const userCell = byTestId('user');
  userCell.textContent = displayName(user);
  userCell.dataset.user = user?.id ?? '';
  const expires = byTestId('expires-in');
  expires.textContent = live && expiresAt !== null ? formatIn(expiresAt - now) : '—';
  expires.dataset.expiresAt = String(expiresAt ?? '');
  byTestId('refresh-in').textContent = live && refreshAt !== null ? formatIn(refreshAt - now) : '—';
  byTestId('pending-requests').textContent = String(pendingRequests);
  byTestId<HTMLButtonElement>('signout').disabled = status === 'anonymous';
  byTestId<HTMLButtonElement>('revoke').disabled = !live;

  const idle = session.idle?.getState() ?? null;
  const prompted = idle?.state === 'prompted';
  showDialog(byTestId<HTMLDialogElement>('idle-dialog'), prompted);
  if (prompted) {
    const seconds = Math.ceil((session.idle?.remainingMs() ?? 0) / 1000);
    const countdown = byTestId('idle-countdown');
    countdown.textContent = `${seconds} s`;
    countdown.dataset.seconds = String(seconds);
  }

  showDialog(byTestId<HTMLDialogElement>('relogin-dialog'), status === 'expired');
  const reasonLine = byTestId('relogin-reason');
  reasonLine.textContent = REASONS[reason ?? ''] ?? 'Your session ended.';
  reasonLine.dataset.reason = reason ?? '';
}

/** Render the event timeline, newest first. */
export function renderTimeline(entries: readonly TimelineEntry[]): void {
  const list = byTestId('timeline');
  list.replaceChildren(
    ...entries.map((entry) => {
      const item = document.createElement('li');
      item.dataset.type = entry.type;
      item.dataset.remote = String(entry.remote);
      const cells = [formatTime(entry.at), entry.type, entry.detail];
      const classes = ['muted', `type${entry.remote ? ' remote' : ''}`, ''];
      item.append(
        ...cells.map((text, index) => {
          const cell = document.createElement('span');
          cell.textContent = text;
          if (classes[index]) cell.className = classes[index]!;
          return cell;
        }),
      );
      return item;
    }),
  );
}

/** Render "3 tabs open · last refresh by …". */
export function renderTabs({ self, count, localRefreshes, lastRefresh }: TabsInfo): void {
  const line = byTestId('tabs');
  line.dataset.tab = self;
  const by =
    lastRefresh === null
      ? 'no refresh yet'
      : `last refresh by ${lastRefresh.by === self ? 'this tab' : `tab ${lastRefresh.by}`} at ${formatTime(lastRefresh.at)}`;
  const parts: [string, string, Record<string, string>][] = [
    ['tab-count', `${count} ${count === 1 ? 'tab' : 'tabs'} open`, { count: String(count) }],
    ['', ` · this is tab ${self} · `, {}],
    ['last-refresh', by, { by: lastRefresh?.by ?? '' }],
    ['', ' · ', {}],
    ['local-refreshes', `${localRefreshes} sent from here`, { count: String(localRefreshes) }],
  ];
  line.replaceChildren(
    ...parts.map(([testId, text, data]) => {
      const span = document.createElement('span');
      span.textContent = text;
      if (testId) span.dataset.testid = testId;
      Object.assign(span.dataset, data);
      return span;
    }),
  );
}
