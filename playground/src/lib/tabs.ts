import type { Session } from 'sessionkeeper';

/** What the page shows about the open tabs of this playground. */
export interface TabsInfo {
  /** This tab's short id (also in the document title). */
  self: string;
  /** Open tabs, this one included. */
  count: number;
  /** Refreshes this tab sent itself. */
  localRefreshes: number;
  /** Who sent the latest refresh seen here (`self` when this tab did), and when. */
  lastRefresh: { by: string; at: number } | null;
}

type TabMessage =
  | { type: 'hello' | 'here' | 'bye'; from: string }
  | { type: 'refreshed'; from: string; at: number };

const CHANNEL = 'sessionkeeper-playground:tabs';
const HEARTBEAT_MS = 2_000;
/** A tab not heard of for this long (frozen, crashed) is no longer counted. */
const STALE_MS = 5_000;

function isTabMessage(data: unknown): data is TabMessage {
  if (typeof data !== 'object' || data === null) return false;
  const { type, from, at } = data as Record<string, unknown>;
  if (typeof from !== 'string') return false;
  if (type === 'refreshed') return typeof at === 'number';
  return type === 'hello' || type === 'here' || type === 'bye';
}

/**
 * The playground's own tab counter (not part of sessionkeeper): tabs greet each other on a
 * BroadcastChannel and send a heartbeat; a tab that refreshed says so, so every tab can tell
 * which one did (the session's `refresh` event says `remote: true` in the others).
 */
export function watchTabs(session: Session, onChange: (info: TabsInfo) => void): () => void {
  const self = Math.floor(Math.random() * 0xffff)
    .toString(16)
    .padStart(4, '0');
  const seen = new Map<string, number>();
  let info: TabsInfo = { self, count: 1, localRefreshes: 0, lastRefresh: null };
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  const post = (message: TabMessage) => channel?.postMessage(message);

  const update = (patch: Partial<TabsInfo>) => {
    info = { ...info, ...patch };
    onChange(info);
  };
  const recount = () => {
    const now = Date.now();
    for (const [tab, at] of seen) if (now - at > STALE_MS) seen.delete(tab);
    if (seen.size + 1 !== info.count) update({ count: seen.size + 1 });
  };

  const onMessage = ({ data }: MessageEvent) => {
    if (!isTabMessage(data) || data.from === self) return;
    if (data.type === 'bye') seen.delete(data.from);
    else seen.set(data.from, Date.now());
    if (data.type === 'hello') post({ type: 'here', from: self });
    if (data.type === 'refreshed') update({ lastRefresh: { by: data.from, at: data.at } });
    recount();
  };
  channel?.addEventListener('message', onMessage);

  const offRefresh = session.on('refresh', (event) => {
    // In the tabs that adopted the new token the event says `remote: true`; they learn who
    // refreshed from the 'refreshed' message.
    if (event.remote) return;
    const at = Date.now();
    post({ type: 'refreshed', from: self, at });
    update({ localRefreshes: info.localRefreshes + 1, lastRefresh: { by: self, at } });
  });
  const goodbye = () => post({ type: 'bye', from: self });
  window.addEventListener('pagehide', goodbye);
  const heartbeat = window.setInterval(() => {
    post({ type: 'here', from: self });
    recount();
  }, HEARTBEAT_MS);
  post({ type: 'hello', from: self });
  onChange(info);

  return () => {
    goodbye();
    offRefresh();
    window.removeEventListener('pagehide', goodbye);
    window.clearInterval(heartbeat);
    channel?.removeEventListener('message', onMessage);
    channel?.close();
  };
}
