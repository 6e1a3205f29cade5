import { IDBFactory } from 'fake-indexeddb';
import { createDpop, type Dpop } from '../../src/dpop/index';
import type { Session, SessionOptions } from '../../src/index';
import { type DpopServer, withDpop } from './dpop-server';
import type { FakeServerOptions } from './server';
import { ORIGIN, setupSession } from './session';
import { createBrowser, type Tab } from './tabs';

/**
 * How a suite's session sends its token: as a bearer token, or DPoP-bound (`createDpop()`, the
 * fake server behind its DPoP front, tokens from a code exchange sent with `dpop.fetch`). Suites
 * of the core jobs run once in each mode (`describe.each(AUTH_MODES)`), with the same
 * expectations: the inner server logs `Bearer <token>` in both, so what was sent compares as is.
 * A DPoP suite also needs `installSyncCrypto()` (its proofs are then made within the same turn).
 */
export const AUTH_MODES = [
  { name: 'bearer', dpop: false },
  { name: 'DPoP', dpop: true },
] as const;

export type AuthMode = (typeof AUTH_MODES)[number];

/** A login response from a code exchange sent with `dpop.fetch`, taken by `session`. */
async function dpopSignIn(session: Session, dpop: Dpop, user: string) {
  const response = await dpop.fetch(`${ORIGIN}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code: user }),
  });
  const raw = (await response.json()) as {
    access_token: string;
    refresh_token: string;
    token_type: string;
  };
  await session.login(raw);
  // The session's key is read (the sign-in reads it again): its requests are signed at once now.
  await dpop.thumbprint();
  return raw;
}

/** `setupSession` in `mode`, with `signIn(user)`: the login of that mode, its response returned. */
export function setupModeSession<O extends Partial<SessionOptions>>(
  mode: AuthMode,
  options: O = {} as O,
  serverOptions: FakeServerOptions = {},
) {
  if (!mode.dpop) {
    const setup = setupSession(options, serverOptions);
    const signIn = async (user = 'alice') => {
      const raw = setup.server.login(user);
      await setup.session.login(raw);
      return raw;
    };
    return { ...setup, dpopServer: null, indexedDB: null, signIn };
  }
  const dpop = createDpop();
  const indexedDB = new IDBFactory();
  let front: DpopServer | undefined;
  const setup = setupSession(
    {
      ...options,
      dpop,
      env: {
        fetch: ((input, init) => front?.fetch(input, init)) as typeof fetch,
        indexedDB,
        ...options.env,
      },
    },
    serverOptions,
  );
  front = withDpop(setup.server);
  const signIn = (user = 'alice') => dpopSignIn(setup.session, dpop, user);
  return { ...setup, dpopServer: front, indexedDB, signIn };
}

/** `createBrowser` in `mode`: each tab opened with its own `createDpop()` in DPoP mode. */
export function createModeBrowser(
  mode: AuthMode,
  serverOptions: FakeServerOptions = {},
  shared: Parameters<typeof createBrowser>[1] = {},
) {
  const browser = createBrowser(serverOptions, shared);
  if (!mode.dpop) {
    const signIn = async (tab: Tab | undefined, user = 'alice') => {
      const raw = browser.server.login(user);
      await tab?.session.login(raw);
      return raw;
    };
    return { ...browser, dpopServer: null, signIn };
  }
  const front = withDpop(browser.server);
  const open = (options: Partial<SessionOptions> = {}) =>
    browser.open({
      dpop: createDpop(),
      ...options,
      env: { fetch: front.fetch, ...options.env },
    });
  const signIn = (tab: Tab | undefined, user = 'alice') => {
    const session = tab?.session;
    if (!session?.dpop) throw new Error('No tab to sign in');
    return dpopSignIn(session, session.dpop, user);
  };
  return { ...browser, open, dpopServer: front, signIn };
}
