import { bench, describe } from 'vitest';
import { createSession } from '../../src/index';
import { createFakeServer } from '../helpers/server';
import { ORIGIN } from '../helpers/session';

// The hot path: a valid token, no refresh due. Measured in ns per call by vitest bench.
const server = createFakeServer({ origin: ORIGIN, accessTtlS: 3_600 });
const session = createSession({
  refresh: `${ORIGIN}/token`,
  crossTab: false,
  env: { fetch: server.fetch, window: null, BroadcastChannel: null, locks: null, indexedDB: null },
});
await session.login(server.login('alice'));

describe('getAccessToken()', () => {
  bench('hot path (valid token, no refresh due)', async () => {
    await session.getAccessToken();
  });
  bench('getSnapshot() (for useSyncExternalStore)', () => {
    session.getSnapshot();
  });
});
