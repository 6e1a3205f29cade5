import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, setupSession, T0, useFakeClock } from '../helpers/session';
import { MemoryStorage } from '../helpers/storage';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

describe('token storage', () => {
  it('keeps tokens in memory by default: nothing reaches web storage', async () => {
    const { session, server, localStorage, sessionStorage } = setupSession();
    await session.login(server.login());
    expect(localStorage.map.size + sessionStorage.map.size).toBe(0);
  });

  it.each(['session', 'local'] as const)(
    'with storage: %s, restores the session after a reload',
    async (kind) => {
      const first = setupSession({ storage: kind });
      await first.session.login(first.server.login('alice'));
      const store = kind === 'local' ? first.localStorage : first.sessionStorage;
      expect(store.map.get('sessionkeeper:tokens')).toContain('"v":2');
      first.session.destroy();
      const reloaded = setupSession({ storage: kind, env: { [`${kind}Storage`]: store } });
      expect(reloaded.session.getSnapshot()).toMatchObject({
        status: 'authenticated',
        user: { id: 'alice' },
      });
      expect(reloaded.ofType('login')).toEqual([]); // a restore is not a login
    },
  );

  it('accepts a StorageLike adapter and clears it on logout', async () => {
    const adapter = new MemoryStorage();
    const { session, server } = setupSession({ storage: adapter });
    await session.login(server.login());
    expect(adapter.map.size).toBe(1);
    await session.logout();
    expect(adapter.map.size).toBe(0);
  });

  it('refreshes at once when the restored token already expired', async () => {
    const first = setupSession({ storage: 'local' });
    await first.session.login(first.server.login('alice'));
    first.session.destroy();
    vi.setSystemTime(T0 + 4_000_000);
    const { session } = setupSession({
      storage: 'local',
      env: { localStorage: first.localStorage, fetch: first.server.fetch },
    });
    await flush();
    expect(first.server.counts.refreshOk).toBe(1);
    expect(session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      expiresAt: T0 + 4_000_000 + 3_600_000,
    });
  });

  it.each([
    ['tampered', '{"v":1,"tokens":{"accessToken":5}}'],
    ['of another version', '{"v":3,"tokens":{}}'],
    ['corrupt', '{"v":1,"tok'],
  ])('ignores (and removes) a %s entry, and keeps using the storage', async (_, text) => {
    const localStorage = new MemoryStorage();
    localStorage.setItem('sessionkeeper:tokens', text);
    const { session, server, ofType } = setupSession({ storage: 'local', env: { localStorage } });
    expect(session.getSnapshot().status).toBe('anonymous');
    expect(localStorage.map.has('sessionkeeper:tokens')).toBe(false);
    await session.login(server.login());
    expect(localStorage.map.has('sessionkeeper:tokens')).toBe(true);
    await flush();
    expect(ofType('error')).toEqual([]);
  });

  it.each([
    ['throws on every call (SecurityError)', 'all'],
    ['throws on write (QuotaExceededError)', 'write'],
  ] as const)('falls back to memory with an error event when storage %s', async (_, mode) => {
    const localStorage = new MemoryStorage();
    localStorage.fail = mode;
    const { session, server, ofType } = setupSession({ storage: 'local', env: { localStorage } });
    await session.login(server.login());
    expect(session.getSnapshot().status).toBe('authenticated');
    await expect(session.getAccessToken()).resolves.toMatch(/\./);
    await flush();
    // Drafts share localStorage and report their own failure (source 'drafts').
    const errors = ofType('error') as { source: string }[];
    expect(errors.filter((e) => e.source === 'storage')).toEqual([
      { error: expect.objectContaining({ code: 'STORAGE_UNAVAILABLE' }), source: 'storage' },
    ]);
  });

  it('falls back to memory when there is no storage at all', async () => {
    const { session, server, ofType } = setupSession({
      storage: 'session',
      env: { sessionStorage: null },
    });
    await session.login(server.login());
    await expect(session.getAccessToken()).resolves.toMatch(/\./);
    await flush();
    expect(ofType('error')).toHaveLength(1);
  });

  it('namespaces the key with crossTab.name', async () => {
    const { session, server, localStorage } = setupSession({
      storage: 'local',
      crossTab: { name: 'app-a' },
    });
    await session.login(server.login());
    expect([...localStorage.map.keys()].sort()).toEqual(['app-a:stamp', 'app-a:tokens']);
  });
});
