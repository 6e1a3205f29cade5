import type { Session } from 'sessionkeeper';

/** How a message reads: neutral, a success, or a failure. */
export type Tone = 'info' | 'ok' | 'bad';

/** The message under the actions: what the last action did, and when. */
export interface ActionMessage {
  at: number;
  text: string;
  tone: Tone;
}

/**
 * When a message stops being true: at the next sign-in or sign-out (in any tab), when the next
 * refresh attempt has ended (in any tab), or at the next successful refresh.
 */
export type Until = 'sign-in' | 'refresh-attempt' | 'refreshed';

export interface ShowOptions {
  tone?: Tone;
  until?: Until[];
  /** Shown instead, with that moment's time, when `until` ends the message. */
  replaceWith?: string;
}

const ENDED_BY: Record<Until, readonly string[]> = {
  'sign-in': ['login', 'logout'],
  'refresh-attempt': ['refresh', 'refresh-failed', 'expired', 'logout'],
  refreshed: ['refresh'],
};

export interface ActionLog {
  show(text: string, options?: ShowOptions): void;
  clear(): void;
  /** Stop listening to the session. */
  destroy(): void;
}

/**
 * The page's action messages. Each carries the time it happened, and one that says something
 * about the future ("the next refresh fails") goes away, or is replaced, once that has happened.
 */
export function createActionLog(
  session: Session,
  onChange: (message: ActionMessage | null) => void,
): ActionLog {
  let ending: { until: readonly Until[]; replaceWith: string | undefined } | null = null;
  const set = (message: ActionMessage | null) => onChange(message);

  const onEvent = (type: string) => () => {
    if (!ending?.until.some((until) => ENDED_BY[until].includes(type))) return;
    const { replaceWith } = ending;
    ending = null;
    set(replaceWith ? { at: Date.now(), text: replaceWith, tone: 'ok' } : null);
  };
  const types = ['login', 'logout', 'refresh', 'refresh-failed', 'expired'] as const;
  const offs = types.map((type) => session.on(type, onEvent(type)));

  return {
    show(text, { tone = 'info', until = [], replaceWith } = {}) {
      ending = until.length > 0 ? { until, replaceWith } : null;
      set({ at: Date.now(), text, tone });
    },
    clear() {
      ending = null;
      set(null);
    },
    destroy() {
      for (const off of offs) off();
    },
  };
}

/** What a failed action says: the error's code (and HTTP status) and message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, status } = error as { code?: unknown; status?: unknown };
  const head =
    typeof code === 'string' ? `${code}${typeof status === 'number' ? ` (${status})` : ''}: ` : '';
  return `${head}${error.message}`;
}
