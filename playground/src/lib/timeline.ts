import type { Session, SessionEventMap, SessionEventType } from 'sessionkeeper';
import { formatIn, formatTime } from './format';

/** One line of the event timeline. */
export interface TimelineEntry {
  id: number;
  at: number;
  type: SessionEventType;
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
 * Record every event of `session`, newest first. `onChange` gets the whole list after each
 * event. Returns the function that stops recording.
 */
export function recordTimeline(
  session: Session,
  onChange: (entries: readonly TimelineEntry[]) => void,
): () => void {
  let entries: readonly TimelineEntry[] = [];
  let nextId = 1;
  const offs = EVENT_TYPES.map((type) =>
    session.on(type, (event: SessionEventMap[typeof type]) => {
      const remote = (event as { remote?: boolean }).remote === true;
      const entry = { id: nextId++, at: Date.now(), type, remote, detail: describe(type, event) };
      entries = [entry, ...entries].slice(0, MAX_ENTRIES);
      onChange(entries);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
