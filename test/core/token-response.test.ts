import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeJwtClaims, parseTokenResponse, TokenResponseError } from '../../src/index';
import { jwt } from '../helpers/server';
import { setupSession, T0, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const now = Math.floor(T0 / 1000);
const noExp = jwt({ sub: 'alice', iat: now });

const malformed: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['an empty string', ''],
  ['an empty object', {}],
  ['an array', [{ access_token: 'a', expires_in: 60 }]],
  ['a number', 42],
  ['non-JSON text', 'not json at all'],
  ['an HTML error page', '<!doctype html><html><body>502 Bad Gateway</body></html>'],
  ['no access token', { expires_in: 3600, token_type: 'Bearer' }],
  ['an empty access token', { access_token: '', expires_in: 3600 }],
  ['a numeric access token', { access_token: 12345, expires_in: 3600 }],
  ['expires_in as an object', { access_token: 'opaque', expires_in: { seconds: 60 } }],
  ['a negative expires_in', { access_token: 'opaque', expires_in: -60 }],
  ['a zero expires_in', { access_token: 'opaque', expires_in: 0 }],
  ['a NaN expires_in', { access_token: 'opaque', expires_in: Number.NaN }],
  ['an Infinity expires_in', { access_token: 'opaque', expires_in: Number.POSITIVE_INFINITY }],
  ['a huge expires_in (ms sent as seconds)', { access_token: 'opaque', expires_in: 3_600_000_000 }],
  ['a non-numeric expires_in string', { access_token: 'opaque', expires_in: 'soon' }],
  ['an opaque token without any expiry', { access_token: 'opaque-token', token_type: 'Bearer' }],
  ['a JWT without exp', { access_token: noExp }],
  [
    'a refresh_token that is not a string',
    { access_token: 'opaque', expires_in: 60, refresh_token: 7 },
  ],
  ['an OAuth error body', { error: 'invalid_grant', error_description: 'expired' }],
  // Under the one-second floor: it could not carry a request, and would flood the endpoint.
  ['an expires_in of 0.001 s', { access_token: 'opaque', expires_in: 0.001 }],
  ['an expires_in of "0.001"', { access_token: 'opaque', expires_in: '0.001' }],
  [
    'a JWT that expires 0.5 s after it was issued',
    { access_token: jwt({ iat: now, exp: now + 0.5 }) },
  ],
];

describe('malformed token responses', () => {
  it.each(malformed)(
    'login() rejects %s with TokenResponseError and changes nothing',
    async (_, raw) => {
      const { session, ofType } = setupSession();
      const before = session.getSnapshot();
      const error = await session.login(raw).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenResponseError);
      expect(error).toMatchObject({ code: 'TOKEN_RESPONSE_INVALID', name: 'TokenResponseError' });
      expect((error as TokenResponseError).issues.length).toBeGreaterThan(0);
      expect(session.getSnapshot()).toBe(before);
      expect(ofType('login')).toEqual([]);
    },
  );

  it('a bad response to a signed-in session changes nothing either', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('alice'));
    const before = session.getSnapshot();
    await expect(session.login({ access_token: 'x' })).rejects.toBeInstanceOf(TokenResponseError);
    expect(session.getSnapshot()).toBe(before);
  });

  it('rejects what a custom parseTokens returns when it is not a TokenInput', async () => {
    const { session } = setupSession({ parseTokens: () => ({ accessToken: 5 }) as never });
    await expect(session.login({})).rejects.toBeInstanceOf(TokenResponseError);
  });
});

describe('the lifetime floor', () => {
  it('a refresh answered with expires_in 0.001 fails and is retried with backoff, no flood', async () => {
    const { session, ofType } = setupSession({
      refresh: async () => ({ access_token: 'short', expires_in: 0.001 }),
      userId: () => 'alice',
    });
    await session.login({ access_token: 'a', expires_in: 600 });
    await session.refresh().catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    expect(ofType('refresh-failed')).toEqual([
      { error: expect.objectContaining({ kind: 'server' }), attempt: 1, willRetry: true },
    ]);
    expect(await session.getAccessToken()).toBe('a'); // the valid token is kept
  });

  it('one second is the shortest lifetime accepted', async () => {
    const { session } = setupSession();
    await session.login({ access_token: 'opaque', expires_in: 1, user: 'x' });
    expect(session.getSnapshot().expiresAt).toBe(T0 + 1_000);
  });
});

describe('the refresh token expiry', () => {
  it('a JWT refresh token with exp 1e400 (Infinity) is accepted, its expiry ignored', async () => {
    const refreshToken = `${jwt({})}`.replace(
      /\.[^.]+\./,
      `.${Buffer.from('{"sub":"alice","exp":1e400}').toString('base64url')}.`,
    );
    const { session, server } = setupSession();
    await session.login({ ...server.login('alice'), refresh_token: refreshToken });
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', sessionEndsAt: null });
  });
});

describe('parseTokenResponse', () => {
  it('reads RFC 6749 §5.1', () => {
    expect(
      parseTokenResponse({
        access_token: 'a',
        expires_in: 60,
        refresh_token: 'r',
        token_type: 'Bearer',
        scope: 'x',
      }),
    ).toEqual({ accessToken: 'a', expiresIn: 60, refreshToken: 'r' });
  });
  it('reads camelCase and a JSON string, and numeric strings', () => {
    expect(
      parseTokenResponse('{"accessToken":"a","expiresIn":"60","refreshToken":"r"}'),
    ).toMatchObject({
      accessToken: 'a',
      expiresIn: 60,
      refreshToken: 'r',
    });
  });
  it('reads expiresAt (ms) and expires_at (seconds)', () => {
    expect(parseTokenResponse({ accessToken: 'a', expiresAt: T0 + 1000 }).expiresAt).toBe(
      T0 + 1000,
    );
    expect(parseTokenResponse({ access_token: 'a', expires_at: now + 1 }).expiresAt).toBe(
      (now + 1) * 1000,
    );
  });
  it('reads the refresh token lifetime', () => {
    expect(
      parseTokenResponse({ access_token: 'a', expires_in: 60, refresh_expires_in: 1800 }),
    ).toMatchObject({
      refreshExpiresIn: 1800,
    });
  });
});

describe('decodeJwtClaims', () => {
  it('decodes a JWT payload and refuses everything else', () => {
    expect(decodeJwtClaims(jwt({ sub: 'ünïcødé', exp: 1 }))).toEqual({ sub: 'ünïcødé', exp: 1 });
    expect(decodeJwtClaims('opaque')).toBeNull();
    expect(decodeJwtClaims('a.b.c')).toBeNull();
    expect(decodeJwtClaims(`x.${Buffer.from('[1]').toString('base64url')}.y`)).toBeNull();
  });
});

describe('who is signed in', () => {
  it('is the sub of the access token by default', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('bob'));
    expect(session.getSnapshot().user).toMatchObject({ id: 'bob', claims: { sub: 'bob' } });
  });

  it('falls back to the id_token sub', async () => {
    const { session } = setupSession();
    await session.login({
      access_token: 'opaque',
      expires_in: 60,
      id_token: jwt({ sub: 'carol' }),
    });
    expect(session.getSnapshot().user?.id).toBe('carol');
  });

  it('can be read from the raw response by the userId option', async () => {
    const { session } = setupSession({ userId: (_, raw) => (raw as { user: string }).user });
    await session.login({ access_token: 'opaque', expires_in: 60, user: 'dave' });
    expect(session.getSnapshot().user?.id).toBe('dave');
  });

  it('reports USER_ID_MISSING once when nothing says who it is', async () => {
    const { session, ofType } = setupSession();
    await session.login({ access_token: 'opaque', expires_in: 60 });
    await session.login({ access_token: 'opaque-2', expires_in: 60 });
    expect(session.getSnapshot().user).toEqual({ id: null, claims: {} });
    expect(ofType('error')).toEqual([
      { error: expect.objectContaining({ code: 'USER_ID_MISSING' }), source: 'refresh' },
    ]);
  });
});
