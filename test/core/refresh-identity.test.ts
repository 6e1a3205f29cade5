import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDraftStore } from '../../src/drafts';
import type { RefreshFn } from '../../src/index';
import { jwt } from '../helpers/server';
import { flush, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/** An OpenID Connect login: an opaque access token; the user is named by the id token only. */
const oidcLogin = () => ({
  access_token: 'opaque-1',
  expires_in: 600,
  refresh_token: 'rt-1',
  id_token: jwt({ sub: 'alice', name: 'Alice', iat: 0, exp: 9_999_999_999 }),
});

describe('a refresh that names nobody keeps the user', () => {
  it('an OIDC refresh without id_token: no second login, no USER_ID_MISSING, the same user', async () => {
    let n = 1;
    // OpenID Connect allows a refresh response without an id_token.
    const refresh: RefreshFn = async () => ({ access_token: `opaque-${++n}`, expires_in: 600 });
    const { session, ofType } = setupSession({ refresh, drafts: createDraftStore({}) });
    await session.login(oidcLogin());
    const user = session.getSnapshot().user;
    expect(user).toMatchObject({ id: 'alice', claims: { name: 'Alice' } });
    session.drafts.save('note', { text: 'kept' });
    session.drafts.flush();
    await session.refresh();
    await flush();
    expect(session.getSnapshot().user).toBe(user);
    expect(ofType('login')).toHaveLength(1);
    expect(ofType('refresh')).toHaveLength(1);
    expect(ofType('error')).toEqual([]);
    expect(session.drafts.load('note')).toEqual({ text: 'kept' }); // drafts still on
    // The id token is kept too: a second refresh still knows who it is.
    await session.refresh();
    expect(session.getSnapshot().user).toBe(user);
  });

  it('callers waiting for the refresh get its token, not a user-changed rejection', async () => {
    let answer = (_: unknown) => {};
    const refresh: RefreshFn = () =>
      new Promise((resolve) => {
        answer = resolve;
      });
    const { session } = setupSession({ drafts: createDraftStore(), refresh });
    await session.login(oidcLogin());
    const refreshed = session.refresh();
    const waiting = session.getAccessToken(); // waits for the refresh in flight
    await flush();
    answer({ access_token: 'opaque-2', expires_in: 600 });
    await refreshed;
    await expect(waiting).resolves.toBe('opaque-2');
  });

  it('a userId option that reads the login response keeps the user on refresh', async () => {
    const refresh: RefreshFn = async () => ({ access_token: 'opaque-2', expires_in: 600 });
    const userId = (_: unknown, response: unknown) =>
      (response as { user?: { id?: string } }).user?.id;
    const { session, ofType } = setupSession({ drafts: createDraftStore(), refresh, userId });
    await session.login({ access_token: 'opaque-1', expires_in: 600, user: { id: 'u-42' } });
    await session.refresh();
    expect(session.getSnapshot().user?.id).toBe('u-42');
    expect(ofType('login')).toHaveLength(1);
    expect(ofType('error')).toEqual([]);
  });
});

describe('claims follow the refreshed token', () => {
  const token = (claims: Record<string, unknown>) => ({
    access_token: jwt({ sub: 'alice', iat: 0, exp: 9_999_999_999, ...claims }),
    expires_in: 600,
  });

  it('renewed claims replace the old ones, and subscribers see them', async () => {
    let role = 'reader';
    const refresh: RefreshFn = async () => token({ role });
    const { session, ofType } = setupSession({ drafts: createDraftStore(), refresh });
    await session.login(token({ role }));
    const seen: unknown[] = [];
    session.subscribe(() => seen.push(session.getSnapshot().user?.claims.role));
    role = 'editor'; // a permission change on the server
    await session.refresh();
    expect(session.getSnapshot().user).toMatchObject({ id: 'alice', claims: { role: 'editor' } });
    expect(seen).toContain('editor');
    expect(ofType('login')).toHaveLength(1); // the same user: a refresh, not a new sign-in
  });

  it('unchanged claims keep the user object (no re-render for nothing)', async () => {
    const claims = { sub: 'alice', role: 'reader', iat: 0, exp: 9_999_999_999 };
    let key = 0;
    // A new token with the same claims (here: signed with another key id).
    const sameClaims = () => {
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: `k${++key}` }));
      const body = Buffer.from(JSON.stringify(claims));
      return {
        access_token: `${header.toString('base64url')}.${body.toString('base64url')}.c2ln`,
        expires_in: 600,
      };
    };
    const { session } = setupSession({
      drafts: createDraftStore(),
      refresh: async () => sameClaims(),
    });
    await session.login(sameClaims());
    const user = session.getSnapshot().user;
    await session.refresh();
    expect(session.getSnapshot().user).toBe(user);
  });
});
