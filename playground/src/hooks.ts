import { useCallback, useEffect, useRef, useState } from 'react';
import type { Session } from 'sessionkeeper';
import { readServerState, type ServerState } from './lib/mock-api';
import { type TabsInfo, watchTabs } from './lib/tabs';
import { recordTimeline, type TimelineEntry } from './lib/timeline';

/** `Date.now()`, re-read every `intervalMs` (for live countdowns). */
export function useNow(intervalMs = 250): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Every event of the session, newest first. */
export function useTimeline(session: Session): readonly TimelineEntry[] {
  const [entries, setEntries] = useState<readonly TimelineEntry[]>([]);
  useEffect(() => recordTimeline(session, setEntries), [session]);
  return entries;
}

/** The open tabs of the playground and who refreshed last. */
export function useTabs(session: Session): TabsInfo | null {
  const [info, setInfo] = useState<TabsInfo | null>(null);
  useEffect(() => watchTabs(session, setInfo), [session]);
  useEffect(() => {
    if (info) document.title = `sessionkeeper playground · tab ${info.self}`;
  }, [info]);
  return info;
}

/** The mock server's config and counters, polled every `intervalMs` while the page is visible. */
export function useServerState(intervalMs = 1000): {
  state: ServerState | null;
  reload: () => void;
} {
  const [state, setState] = useState<ServerState | null>(null);
  const reloadNow = useRef<() => void>(() => {});
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') {
        const next = await readServerState().catch(() => null);
        if (stopped) return;
        if (next) setState(next);
      }
      timer = setTimeout(tick, intervalMs);
    };
    reloadNow.current = () => void tick();
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs]);
  const reload = useCallback(() => reloadNow.current(), []);
  return { state, reload };
}
