import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_MODES, setupModeSession } from '../helpers/auth-modes';
import type { DpopServer } from '../helpers/dpop-server';
import { jwt } from '../helpers/server';
import { setupSession, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';

installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/** A valid token response of the given type, for a failure slot of the fake server. */
const answer = (tokenType: string | undefined) => ({
  status: 200,
  body: {
    access_token: jwt({ sub: 'alice', iat: Math.floor(Date.now() / 1000), exp: 9e9 }),
    expires_in: 3600,
    refresh_token: 'rt-next',
    ...(tokenType === undefined ? {} : { token_type: tokenType }),
  },
});

describe('the token type must match the session', () => {
  it('without the DPoP module, a DPoP-bound login is refused: DPOP_TOKEN_TYPE, an error event, nothing changes', async () => {
    const { session, server, ofType } = setupSession();
    const login = { ...server.login(), token_type: 'DPoP' };
    await expect(session.login(login)).rejects.toMatchObject({ code: 'DPOP_TOKEN_TYPE' });
    expect(ofType('error')).toMatchObject([{ source: 'dpop', error: { code: 'DPOP_TOKEN_TYPE' } }]);
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('without the DPoP module, a refresh answered with a DPoP token fails as rejected', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    server.failNext(answer('DPoP'));
    await expect(session.refresh()).rejects.toMatchObject({ code: 'REFRESH_REJECTED' });
    expect(ofType('error')).toMatchObject([{ source: 'dpop', error: { code: 'DPOP_TOKEN_TYPE' } }]);
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'refresh-rejected' });
  });

  it('with the DPoP module, a bearer login (the server did not bind it) is refused', async () => {
    const { session, dpopServer, ofType } = setupModeSession(AUTH_MODES[1]);
    const front = dpopServer as DpopServer;
    front.setSupportsDpop(false);
    const response = await session.dpop!.fetch('/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'alice' }),
    });
    expect(response.status).toBe(400); // the fake server's bearer side knows no code grant
    await expect(session.login({ ...answer('Bearer').body })).rejects.toMatchObject({
      code: 'DPOP_TOKEN_TYPE',
      message: expect.stringContaining('token_type bearer'),
    });
    expect(ofType('error')).toMatchObject([{ source: 'dpop', error: { code: 'DPOP_TOKEN_TYPE' } }]);
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('with the DPoP module, a refresh answered with a bearer token fails as rejected', async () => {
    const { session, server, signIn, ofType, dpopServer } = setupModeSession(AUTH_MODES[1]);
    await signIn();
    (dpopServer as DpopServer).setSupportsDpop(false);
    server.failNext(answer('Bearer'));
    await expect(session.refresh()).rejects.toMatchObject({ code: 'REFRESH_REJECTED' });
    expect(ofType('error')).toMatchObject([{ source: 'dpop', error: { code: 'DPOP_TOKEN_TYPE' } }]);
  });

  it('a response without token_type is taken in both modes (a custom format cannot say)', async () => {
    const bearer = setupSession();
    await bearer.session.login(answer(undefined).body);
    expect(bearer.session.getSnapshot().status).toBe('authenticated');
    const dpop = setupModeSession(AUTH_MODES[1]);
    await dpop.session.dpop?.thumbprint();
    await dpop.session.login(answer(undefined).body);
    expect(dpop.session.getSnapshot().status).toBe('authenticated');
  });
});
