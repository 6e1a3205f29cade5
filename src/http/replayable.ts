/**
 * A request that can be sent more than once: the body is read into memory once, so a replay
 * after a 401 sends the same bytes (and the same multipart boundary) again. A stream given as
 * `init.body` is not buffered (it may be huge or endless): it can be sent once, never replayed.
 * A `Request` object's body (ky passes every body that way) is always read into memory.
 */
export interface ReplayableRequest {
  readonly replayable: boolean;
  /** The absolute URL. */
  readonly url: string;
  /** The method as given (`undefined`: GET; fetch upper-cases `get`, `post`, … but not `patch`). */
  readonly method: string | undefined;
  /**
   * The arguments of one `fetch` call, with `authorization` set (when not `null`), then the
   * `signed` headers of a request signer (lower-case names). They are given to fetch as
   * `(input, init)` rather than as a new Request: fetch builds its Request from them anyway, so
   * each attempt costs one Request, as a plain fetch does.
   */
  build(authorization: string | null, signed?: Record<string, string>): FetchArgs;
}

export type FetchArgs = [input: RequestInfo | URL, init: RequestInit];

/** The request's fields besides headers, body and mode, for a copy with a buffered body. */
const FIELDS = [
  'method',
  'credentials',
  'cache',
  'redirect',
  'referrer',
  'referrerPolicy',
  'integrity',
  'keepalive',
  'signal',
] as const;

/**
 * The headers of one attempt, as a plain record (fetch builds its own Headers from it; a copy
 * into a Headers object here would cost more than the rest of the request's overhead). With a
 * token, it replaces any Authorization header; without one (signed out) the headers are kept.
 */
const headersWith = (
  source: HeadersInit | undefined,
  authorization: string | null,
  signed: Record<string, string> | undefined,
): Record<string, string> => {
  const headers: Record<string, string> = {};
  const from = source instanceof Headers ? source : new Headers(source);
  from.forEach((value, name) => {
    // Lower-cased here too: not every Headers implementation iterates lower-case names.
    headers[name.toLowerCase()] = value;
  });
  if (authorization) headers.authorization = authorization;
  return signed ? Object.assign(headers, signed) : headers;
};

/** A request to `url` whose every attempt goes to `target` with `init` and `headers`. */
const request = (
  replayable: boolean,
  url: string,
  method: string | undefined,
  target: RequestInfo,
  init: RequestInit,
  headers: HeadersInit | undefined,
): ReplayableRequest => ({
  replayable,
  url,
  method,
  build: (authorization, signed) => [
    target,
    { ...init, headers: headersWith(headers, authorization, signed) },
  ],
});

/**
 * A request without a body (the common GET): the same input and init each time, with the
 * header set; `null` when there is a body to read first ({@link toReplayable}). Synchronous, so
 * the usual request costs no extra turn of the event loop. `source`: `input` when a Request.
 */
export function bodiless(
  source: Request | undefined,
  init: RequestInit,
  url: string,
): ReplayableRequest | null {
  if (init.body != null || (source && source.body !== null)) return null;
  const method = init.method ?? source?.method;
  return request(true, url, method, source ?? url, init, init.headers ?? source?.headers);
}

/** A request with a body: buffered once, or (a stream in `init.body`) sendable once. */
export async function toReplayable(
  source: Request | undefined,
  init: RequestInit,
  url: string,
): Promise<ReplayableRequest> {
  if (typeof ReadableStream !== 'undefined' && init.body instanceof ReadableStream) {
    const base = new Request(source ?? url, init);
    // Sent once: a 401 to it is not replayed (session.fetch rejects with BODY_NOT_REPLAYABLE).
    return request(false, url, base.method, base, {}, base.headers);
  }
  // A body: serialised once (FormData keeps its boundary), then sent as the same bytes. The
  // init is kept too, for options only fetch reads (`priority`, …).
  const base = source && Object.keys(init).length === 0 ? source : new Request(source ?? url, init);
  const body = await base.arrayBuffer();
  const fields: RequestInit = Object.fromEntries(FIELDS.map((name) => [name, base[name]]));
  if (base.mode !== 'navigate') fields.mode = base.mode;
  return request(true, url, base.method, base.url, { ...init, ...fields, body }, base.headers);
}
