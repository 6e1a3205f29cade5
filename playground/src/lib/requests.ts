import type { Session } from 'sessionkeeper';
import { invalidateOnServer } from './mock-api';

/** How a batch of requests ended. */
export interface BurstResult {
  ok: number;
  failed: number;
  /** Wall time of the whole batch, in ms. */
  ms: number;
}

/**
 * Send `count` concurrent `GET /api/data?n=1…count` through `session.http`: requests made while
 * a refresh is in flight wait for it, and a 401 is refreshed once and replayed, so all should
 * succeed. Each URL is distinct: the browser's HTTP cache lets only one request for a URL go out
 * at a time, which would send identical GETs one after another. `refusedFirst`: the server is
 * told to refuse the signed-in user's access token first, so every request meets a 401 (they
 * come back one by one, and each waits for the one refresh before its replay).
 */
export async function burst(
  session: Session,
  count: number,
  { refusedFirst = false } = {},
): Promise<BurstResult> {
  const user = session.getSnapshot().user?.id;
  // Should the server fail to refuse it, the burst goes out all the same (its counters tell).
  if (refusedFirst && user) await invalidateOnServer(user).catch(() => 0);
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      session.http.get('data', { searchParams: { n: index + 1 } }).json(),
    ),
  );
  const ok = results.filter((result) => result.status === 'fulfilled').length;
  return { ok, failed: count - ok, ms: Math.round(performance.now() - started) };
}

/** What a burst does, in one line: shown under the button. */
export const BURST_EXPLAINED =
  'Each request has its own URL, all are sent at once; over HTTP/1.1 the browser keeps 6 connections to a server, so they are answered in rounds of 6. With the token refused first, each 401 waits for one shared refresh, then is replayed.';

/** "30 ok · 0 failed in 1.52 s", or "not sent yet". */
export function describeBurst(result: BurstResult | null): string {
  if (!result) return 'Not sent yet.';
  return `${result.ok} ok · ${result.failed} failed in ${(result.ms / 1000).toFixed(2)} s`;
}

/** Counts of a running poll. */
export interface PollCounts {
  ok: number;
  failed: number;
}

/**
 * `GET /api/me` every `intervalMs` while signed in (one at a time), counting answers. Returns
 * the function that stops polling.
 */
export function poll(
  session: Session,
  intervalMs: number,
  onChange: (counts: PollCounts) => void,
): () => void {
  let counts: PollCounts = { ok: 0, failed: 0 };
  let stopped = false;
  let timer = 0;
  const tick = async () => {
    const { status } = session.getSnapshot();
    if (status === 'authenticated' || status === 'refreshing') {
      const ok = await session.http.get('me').then(
        () => true,
        () => false,
      );
      if (stopped) return;
      counts = ok ? { ...counts, ok: counts.ok + 1 } : { ...counts, failed: counts.failed + 1 };
      onChange(counts);
    }
    if (!stopped) timer = window.setTimeout(tick, intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

/** The result of saving a form through `POST /api/echo`. */
export interface SaveResult {
  /** Who the server saw. */
  sub: string;
  /** Bytes the server received. */
  length: number;
}

/**
 * Save a form: `POST /api/echo` with its fields as JSON, through `session.http`. While the
 * session is expired the request is held and goes out once the same user signs in again.
 */
export async function saveForm(
  session: Session,
  form: HTMLFormElement,
  signal?: AbortSignal,
): Promise<SaveResult> {
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== 'string') continue;
    const previous = values[name];
    values[name] =
      previous === undefined
        ? value
        : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return session.http
    .post('echo', { json: values, ...(signal ? { signal } : {}) })
    .json<SaveResult>();
}
