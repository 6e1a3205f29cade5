import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Session } from 'sessionkeeper';
import { type ActionLog, type ActionMessage, createActionLog } from './lib/action-log';
import { readClock, subscribeClock } from './lib/clock';
import { type LastError, trackLastError } from './lib/last-error';
import type { ServerState } from './lib/mock-api';
import { type ServerWatch, watchServerState } from './lib/server-state';
import { type TabsInfo, watchTabs } from './lib/tabs';
import { recordTimeline, type TimelineEntry } from './lib/timeline';

/** The page's one clock (for live countdowns): every component reads the same `now`. */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, readClock);
}

/** The session's last error, kept with its time after the session cleared it. */
export function useLastError(session: Session): LastError | null {
  const [lastError, setLastError] = useState<LastError | null>(null);
  useEffect(() => trackLastError(session, setLastError), [session]);
  return lastError;
}

/** The action message, and the log that shows one (stable for the session). */
export function useActionLog(session: Session): [ActionMessage | null, ActionLog | null] {
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const [log, setLog] = useState<ActionLog | null>(null);
  useEffect(() => {
    const created = createActionLog(session, setMessage);
    setLog(created);
    return () => created.destroy();
  }, [session]);
  return [message, log];
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

/** The mock server's config and counters, polled every second while the page is visible. */
export function useServerState(): { state: ServerState | null; reload: () => void } {
  const [state, setState] = useState<ServerState | null>(null);
  const watch = useRef<ServerWatch | null>(null);
  useEffect(() => {
    const started = watchServerState(setState);
    watch.current = started;
    return () => started.stop();
  }, []);
  const reload = useCallback(() => watch.current?.reload(), []);
  return { state, reload };
}
