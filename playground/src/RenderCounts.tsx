import { memo, useEffect, useSyncExternalStore } from 'react';
import { useSession } from 'sessionkeeper/react';
import type { RenderCounter } from './lib/render-counter';

interface ReaderProps {
  counter: RenderCounter;
}

/** Reads only the status: renders when it changes, not for `pendingRequests`. */
const StatusReader = memo(function StatusReader({ counter }: ReaderProps) {
  useSession((s) => s.status);
  // No dependency list: runs after every render that React committed (StrictMode's extra
  // render in development is never committed, so it is not counted).
  useEffect(() => counter.rendered('selector'));
  return null;
});

/** Reads the whole snapshot: renders at every change of it. */
const WholeReader = memo(function WholeReader({ counter }: ReaderProps) {
  useSession();
  useEffect(() => counter.rendered('whole'));
  return null;
});

/**
 * How many times a component that reads only `status` rendered during the last burst, next to
 * one that reads the whole snapshot. Both readers are memoised and render nothing: only the
 * session makes them render.
 */
export function RenderCounts({ counter }: ReaderProps) {
  const counts = useSyncExternalStore(counter.subscribe, counter.read);
  return (
    <>
      <StatusReader counter={counter} />
      <WholeReader counter={counter} />
      <p className="muted">
        Renders during the last burst: a component with <code>useSession((s) =&gt; s.status)</code>{' '}
        reads only the status, one with <code>useSession()</code> everything. Each 401 that waits
        for the refresh changes the count of waiting requests:
      </p>
      <dl className="facts" data-testid="render-counts">
        <dt>status only</dt>
        <dd data-testid="renders-selector" data-count={counts?.selector ?? ''}>
          {counts?.selector ?? '—'}
        </dd>
        <dt>everything</dt>
        <dd data-testid="renders-whole" data-count={counts?.whole ?? ''}>
          {counts?.whole ?? '—'}
        </dd>
      </dl>
    </>
  );
}
