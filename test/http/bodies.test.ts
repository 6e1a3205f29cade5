import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSessionError } from '../../src/index';
import { bearer, settle } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;
const BINARY = new Uint8Array([0, 1, 2, 127, 128, 200, 254, 255, 0xc3, 0x28]); // not valid UTF-8

function form() {
  const data = new FormData();
  data.append('title', 'Héllo wörld');
  data.append('file', new Blob([BINARY], { type: 'application/octet-stream' }), 'data.bin');
  return data;
}

/** A session whose current access token the server will refuse once (forcing a replay). */
async function sessionWithStaleToken() {
  const setup = setupSession({ http: { prefix: API } });
  const login = setup.server.login();
  await setup.session.login(login);
  setup.server.invalidateAccess();
  return { ...setup, login };
}

type Sent = { method: string; bytes: Uint8Array; headers: Headers; authorization: string | null };

function expectSameTwice(requests: Sent[], method: string, oldBearer: string) {
  expect(requests).toHaveLength(2);
  const [first, replay] = requests as [Sent, Sent];
  expect(first.authorization).toBe(oldBearer);
  expect(replay.authorization).not.toBe(oldBearer);
  expect(replay.method).toBe(method);
  expect(first.method).toBe(method);
  expect(replay.bytes.length).toBeGreaterThan(0);
  expect(replay.bytes).toEqual(first.bytes);
  expect(replay.headers.get('content-type')).toBe(first.headers.get('content-type'));
}

const fetchBodies: [string, () => BodyInit, (bytes: Uint8Array, type: string | null) => void][] = [
  ['string', () => 'plain text ✓', (b) => expect(new TextDecoder().decode(b)).toBe('plain text ✓')],
  [
    'URLSearchParams',
    () => new URLSearchParams({ a: '1', b: 'x y&z' }),
    (b, type) => {
      expect(new TextDecoder().decode(b)).toBe('a=1&b=x+y%26z');
      expect(type).toMatch(/^application\/x-www-form-urlencoded/);
    },
  ],
  [
    'FormData',
    form,
    (b, type) => {
      const boundary = type?.match(/boundary=(.+)$/)?.[1];
      expect(boundary).toBeTruthy();
      const text = new TextDecoder().decode(b);
      expect(text).toContain(`--${boundary}`);
      expect(text).toContain('Héllo wörld');
    },
  ],
  [
    'Blob',
    () => new Blob([BINARY], { type: 'image/x-test' }),
    (b, type) => {
      expect(b).toEqual(BINARY);
      expect(type).toBe('image/x-test');
    },
  ],
  ['ArrayBuffer', () => BINARY.slice().buffer, (b) => expect(b).toEqual(BINARY)],
  ['Uint8Array', () => BINARY.slice(), (b) => expect(b).toEqual(BINARY)],
];

describe('bodies are replayed byte-for-byte', () => {
  for (const method of ['POST', 'PUT', 'PATCH']) {
    it.each(fetchBodies)(`session.fetch ${method} with a %s body`, async (_, body, check) => {
      const { session, server, login } = await sessionWithStaleToken();
      const response = await session.fetch(`${API}/things`, { method, body: body() });
      expect(response.status).toBe(200);
      expectSameTwice(server.apiRequests, method, bearer(login));
      const replay = server.apiRequests[1] as Sent;
      check(replay.bytes, replay.headers.get('content-type'));
    });
  }

  const kyBodies: [string, Record<string, unknown>][] = [
    ['json', { json: { name: 'Ada', tags: ['x', 'ü'], n: 1 } }],
    ['FormData', { body: form() }],
    ['URLSearchParams', { body: new URLSearchParams({ q: 'a b' }) }],
    ['Blob', { body: new Blob([BINARY], { type: 'image/x-test' }) }],
    ['ArrayBuffer', { body: BINARY.slice().buffer }],
    ['Uint8Array', { body: BINARY.slice() }],
    ['string', { body: 'text body' }],
  ];
  for (const method of ['post', 'put', 'patch'] as const) {
    it.each(kyBodies)(`session.http.${method} with a %s body`, async (_, options) => {
      const { session, server, login } = await sessionWithStaleToken();
      const result = await session.http[method]('things', options).json<{ method: string }>();
      expect(result.method).toBe(method.toUpperCase());
      expectSameTwice(server.apiRequests, method.toUpperCase(), bearer(login));
    });
  }

  it('ky json: the replay carries the JSON and its content type', async () => {
    const { session, server } = await sessionWithStaleToken();
    await session.http.post('things', { json: { a: 1 } });
    const replay = server.apiRequests[1];
    expect(replay?.body).toBe('{"a":1}');
    expect(replay?.headers.get('content-type')).toBe('application/json');
  });

  it('a Request object with a body is replayed too', async () => {
    const { session, server, login } = await sessionWithStaleToken();
    const request = new Request(`${API}/things`, { method: 'POST', body: BINARY.slice() });
    expect((await session.fetch(request)).status).toBe(200);
    expectSameTwice(server.apiRequests, 'POST', bearer(login));
    expect(server.apiRequests[1]?.bytes).toEqual(BINARY);
  });
});

describe('a stream body', () => {
  const stream = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('chunk-1,'));
        controller.enqueue(new TextEncoder().encode('chunk-2'));
        controller.close();
      },
    });
  const streamInit = () => ({ method: 'POST', body: stream(), duplex: 'half' }) as RequestInit;

  it('that gets a 401 rejects with BODY_NOT_REPLAYABLE, never replayed with an empty body', async () => {
    const { session, server, login } = await sessionWithStaleToken();
    const error = await session.fetch(`${API}/upload`, streamInit()).catch((e: unknown) => e);
    expect(isSessionError(error, 'BODY_NOT_REPLAYABLE')).toBe(true);
    expect(server.apiRequests).toHaveLength(1); // sent once, in full, and not again
    expect(server.apiRequests[0]?.body).toBe('chunk-1,chunk-2');
    expect(server.apiRequests[0]?.authorization).toBe(bearer(login));
    // The 401 still renewed the token: the app can send the upload again.
    const retry = await session.fetch(`${API}/upload`, streamInit());
    expect(retry.status).toBe(200);
    expect(server.refreshRequests).toHaveLength(1);
  });

  it('its 401 starts the refresh but adds no phantom to pendingRequests', async () => {
    const { session, server } = await sessionWithStaleToken();
    const release = server.hold('/token');
    await expect(session.fetch(`${API}/upload`, streamInit())).rejects.toMatchObject({
      code: 'BODY_NOT_REPLAYABLE',
    });
    await settle();
    expect(server.refreshRequests).toHaveLength(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'refreshing', pendingRequests: 0 });
    release();
    await settle();
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', pendingRequests: 0 });
  });

  it('that gets through is sent once, in full', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    const response = await session.fetch(`${API}/upload`, streamInit());
    expect(response.status).toBe(200);
    expect(server.apiRequests.map((r) => r.body)).toEqual(['chunk-1,chunk-2']);
  });

  it('given to session.http is read into memory by ky, so it is replayed with the same bytes', async () => {
    const { session, server, login } = await sessionWithStaleToken();
    await session.http.post('upload', { body: stream() });
    expectSameTwice(server.apiRequests, 'POST', bearer(login));
    expect(server.apiRequests[1]?.body).toBe('chunk-1,chunk-2');
  });
});
