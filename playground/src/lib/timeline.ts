import type { Session, SessionEventMap, SessionEventType } from 'sessionkeeper';
import { formatIn, formatTime } from './format';

/** One line of the event timeline: a session event, or the page being loaded again. */
export interface TimelineEntry {
  id: number;
  at: number;
  type: SessionEventType | 'page-loaded';
  /** Set when another tab caused the event. */
  remote: boolean;
  detail: string;
}

/** Every session event, in the order the timeline lists them. */
export const EVENT_TYPES: readonly SessionEventType[] = [
  'login',
  'refresh',
  'refresh-failed',
  'expired',
  'logout',
  'idle-prompt',
  'idle',
  'active',
  'draft-saved',
  'draft-restored',
  'session-ending',
  'error',
];

const MAX_ENTRIES = 200;
/** The timeline is kept per tab (sessionStorage), so a reload keeps past events and their times. */
const STORAGE_KEY = 'sessionkeeper-playground:timeline';

const isEntry = (value: unknown): value is TimelineEntry => {
  const e = value as Partial<TimelineEntry> | null;
  return (
    typeof e?.id === 'number' &&
    typeof e.at === 'number' &&
    typeof e.type === 'string' &&
    typeof e.remote === 'boolean' &&
    typeof e.detail === 'string'
  );
};

function load(): TimelineEntry[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isEntry).slice(0, MAX_ENTRIES) : [];
  } catch {
    return [];
  }
}

function save(entries: readonly TimelineEntry[]): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(entries));
  } catch {
    // Storage full or blocked: the timeline still works for this page.
  }
}

const nextId = (entries: readonly TimelineEntry[]) =>
  entries.reduce((max, entry) => Math.max(max, entry.id), 0) + 1;

/**
 * Mark a reload (or a navigation from the other playground page) in a timeline that has past
 * events. Call once per page load, before the session starts.
 */
export function markPageLoad(): void {
  const entries = load();
  if (entries.length === 0) return;
  const navigation = performance.getEntriesByType('navigation')[0] as
    | PerformanceNavigationTiming
    | undefined;
  const how = navigation?.type === 'reload' ? 'reloaded' : 'opened';
  const entry: TimelineEntry = {
    id: nextId(entries),
    at: Date.now(),
    type: 'page-loaded',
    remote: false,
    detail: `${location.pathname} ${how}; the events below happened before`,
  };
  save([entry, ...entries].slice(0, MAX_ENTRIES));
}

/** What an event says, in words (never a token or a draft's contents). */
function describe<K extends SessionEventType>(type: K, event: SessionEventMap[K]): string {
  const e = event as Partial<Record<string, unknown>>;
  switch (type) {
    case 'login':
    case 'logout': {
      const user = e.user as { id: string | null } | null | undefined;
      return user?.id ? `user ${user.id}` : '';
    }
    case 'refresh':
      return `token valid until ${formatTime(e.expiresAt as number)}`;
    case 'refresh-failed': {
      const error = e.error as { code: string; status?: number };
      const status = error.status === undefined ? '' : ` (${error.status})`;
      return `attempt ${e.attempt}: ${error.code}${status}${e.willRetry ? ', will retry' : ', gave up'}`;
    }
    case 'expired':
      return `reason: ${e.reason as string}`;
    case 'idle-prompt':
      return `signing out in ${formatIn(e.remainingMs as number)}`;
    case 'draft-saved':
      return `form "${e.key as string}"`;
    case 'draft-restored':
      return `form "${e.key as string}": ${(e.fields as string[]).join(', ')}`;
    case 'session-ending':
      return `ends in ${formatIn(e.remainingMs as number)}`;
    case 'error': {
      const error = e.error as { code: string };
      return `${e.source as string}: ${error.code}`;
    }
    default:
      return '';
  }
}

/**
 * Record every event of `session`, newest first, after the ones kept from before a reload.
 * `onChange` gets the whole list at once and after each event. Returns the function that stops
 * recording.
 */
export function recordTimeline(
  session: Session,
  onChange: (entries: readonly TimelineEntry[]) => void,
): () => void {
  let entries: readonly TimelineEntry[] = load();
  onChange(entries);
  const offs = EVENT_TYPES.map((type) =>
    session.on(type, (event: SessionEventMap[typeof type]) => {
      const remote = (event as { remote?: boolean }).remote === true;
      const id = nextId(entries);
      const entry = { id, at: Date.now(), type, remote, detail: describe(type, event) };
      entries = [entry, ...entries].slice(0, MAX_ENTRIES);
      save(entries);
      onChange(entries);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
