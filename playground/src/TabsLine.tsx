import type { Session } from 'sessionkeeper';
import { useTabs } from './hooks';
import { formatTime } from './lib/format';

/** "3 tabs open · last refresh by tab 4f2a at …" (the playground's own tab counter). */
export function TabsLine({ session }: { session: Session }) {
  const tabs = useTabs(session);
  if (!tabs) return null;
  const { self, count, localRefreshes, lastRefresh } = tabs;
  const by =
    lastRefresh === null ? null : lastRefresh.by === self ? 'this tab' : `tab ${lastRefresh.by}`;
  return (
    <p className="tabs-line" data-testid="tabs" data-tab={self}>
      <span data-testid="tab-count" data-count={count}>
        {count} {count === 1 ? 'tab' : 'tabs'} open
      </span>{' '}
      · this is tab <strong>{self}</strong> ·{' '}
      <span data-testid="last-refresh" data-by={lastRefresh?.by ?? ''}>
        {by === null ? 'no refresh yet' : `last refresh by ${by} at ${formatTime(lastRefresh!.at)}`}
      </span>{' '}
      ·{' '}
      <span data-testid="local-refreshes" data-count={localRefreshes}>
        {localRefreshes} sent from here
      </span>
    </p>
  );
}
