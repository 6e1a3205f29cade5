import type { Session } from 'sessionkeeper';
import { useTabs } from './hooks';
import { formatTime } from './lib/format';

/** "3 tabs open · this is tab 4f2a · 2 sent from here · last refresh by tab 9c1e at …". */
export function TabsLine({ session }: { session: Session }) {
  const tabs = useTabs(session);
  // The line's place is kept from the start, so that nothing moves when it is filled.
  if (!tabs) return <p className="tabs-line" data-testid="tabs" />;
  const { self, count, localRefreshes, lastRefresh } = tabs;
  const by =
    lastRefresh === null ? null : lastRefresh.by === self ? 'this tab' : `tab ${lastRefresh.by}`;
  return (
    <p className="tabs-line" data-testid="tabs" data-tab={self}>
      <span data-testid="tab-count" data-count={count}>
        {count} {count === 1 ? 'tab' : 'tabs'} open
      </span>{' '}
      · this is tab <strong>{self}</strong> ·{' '}
      <span data-testid="local-refreshes" data-count={localRefreshes}>
        {localRefreshes} sent from here
      </span>{' '}
      · {/* Last: its text grows at the first refresh, and moves nothing after it. */}
      <span data-testid="last-refresh" data-by={lastRefresh?.by ?? ''}>
        {by === null ? 'no refresh yet' : `last refresh by ${by} at ${formatTime(lastRefresh!.at)}`}
      </span>
    </p>
  );
}
