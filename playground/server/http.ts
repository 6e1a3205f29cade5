import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body the mock server reads, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * An error answered as JSON `{ error, error_description }` (RFC 6749 §5.2 shape) with `status`.
 * Route code throws it; the dispatcher turns it into the response.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string | string[]> = {},
  ) {
    super(`${status} ${error}: ${description}`);
  }
}

/** Answer JSON; never cached (RFC 6749 §5.1 requires `no-store` for token responses). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    ...headers,
  });
  res.end(text);
}

/** Answer an {@link HttpError}. */
export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { error: err.error, error_description: err.description }, err.headers);
}

/** Read the whole request body, up to {@link MAX_BODY_BYTES} (else a 413 `HttpError`). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error) => {
      req.removeAllListeners('data');
      req.resume();
      reject(err);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        fail(
          new HttpError(413, 'invalid_request', `Request body larger than ${MAX_BODY_BYTES} bytes`),
        );
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** The media type of a request, lower-cased, without parameters (`''` when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function formToObject(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    // RFC 6749 §3.2: request parameters must not be included more than once.
    if (key in out) throw new HttpError(400, 'invalid_request', `Parameter "${key}" repeated`);
    out[key] = value;
  }
  return out;
}

/**
 * Read the body as parameters: JSON (an object) or `application/x-www-form-urlencoded`.
 * An empty body is `{}`. Anything else is a 400 `invalid_request`.
 */
export async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  const type = mediaType(req);
  const text = body.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return formToObject(text);
  if (type === 'application/json' || type.endsWith('+json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_request', 'The body is not valid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new HttpError(400, 'invalid_request', 'The JSON body must be an object');
    }
    return value as Record<string, unknown>;
  }
  throw new HttpError(
    400,
    'invalid_request',
    'Send application/json or application/x-www-form-urlencoded',
  );
}

/** The request's cookies by name (the first of duplicates wins, as browsers send most specific first). */
export function readCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, pair.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * A `Set-Cookie` value for a SameSite=Strict cookie on `path`, httpOnly unless `readable` (by the
 * page's scripts). `maxAgeSeconds` 0 clears it. No `Secure`: the playground is served over plain
 * http on 127.0.0.1.
 */
export function setCookie(
  name: string,
  value: string,
  path: string,
  maxAgeSeconds: number,
  { readable = false } = {},
): string {
  const httpOnly = readable ? '' : ' HttpOnly;';
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds};${httpOnly} SameSite=Strict`;
}

/** Whether a socket address is the loopback interface. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
