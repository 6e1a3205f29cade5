import { SessionError } from '../errors';

/**
 * A request that can be sent more than once: the body is read into memory once, so a replay
 * after a 401 sends the same bytes (and the same multipart boundary) again. A stream given as the
 * body is not buffered (it may be huge or endless): it can be sent once, never replayed.
 */
export interface ReplayableRequest {
  readonly url: string;
  readonly replayable: boolean;
  /** A fresh Request, with `authorization` set or removed. */
  build(authorization: string | null): Request;
}

const isStream = (body: unknown): body is ReadableStream =>
  typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;

export async function toReplayable(
  input: RequestInfo | URL,
  init: RequestInit,
  url: string,
): Promise<ReplayableRequest> {
  const streamed = isStream(init.body);
  const base = input instanceof Request ? new Request(input, init) : new Request(url, init);
  const body = base.body && !streamed ? await base.arrayBuffer() : null;
  let sentOnce = false;
  return {
    url: base.url,
    replayable: !streamed,
    build(authorization) {
      if (streamed && sentOnce) {
        throw new SessionError(
          'BODY_NOT_REPLAYABLE',
          'A request with a stream body cannot be replayed',
        );
      }
      sentOnce = true;
      const headers = new Headers(base.headers);
      if (authorization) headers.set('Authorization', authorization);
      else headers.delete('Authorization');
      if (streamed) return new Request(base, { headers });
      return new Request(base.url, {
        method: base.method,
        headers,
        body,
        credentials: base.credentials,
        cache: base.cache,
        redirect: base.redirect,
        referrerPolicy: base.referrerPolicy,
        integrity: base.integrity,
        keepalive: base.keepalive,
        signal: base.signal,
        ...(base.mode === 'navigate' ? {} : { mode: base.mode }),
      });
    },
  };
}
