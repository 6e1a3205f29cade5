import { formatTime } from '../lib/format';
import type { TabsInfo } from '../lib/tabs';
import type { TimelineEntry } from '../lib/timeline';
import { byTestId } from './dom';

/** Render the event timeline, newest first. */
export function renderTimeline(entries: readonly TimelineEntry[]): void {
  const list = byTestId('timeline');
  if (entries.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'muted';
    empty.textContent = 'No event yet. Sign in to start.';
    list.replaceChildren(empty);
    return;
  }
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

/** Render "3 tabs open · this is tab 4f2a · 2 sent from here · last refresh by …". */
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
    ['local-refreshes', `${localRefreshes} sent from here`, { count: String(localRefreshes) }],
    ['', ' · ', {}],
    // Last: its text grows at the first refresh, and moves nothing after it.
    ['last-refresh', by, { by: lastRefresh?.by ?? '' }],
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
