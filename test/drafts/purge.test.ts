import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createDraftStore } from '../../src/drafts/draft-store';
import { setupDrafts, storedEntry } from '../helpers/draft-forms';
import { MemoryStorage } from '../helpers/storage';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('purge', () => {
  test('purge(user) removes only that user’s drafts and pending saves', async () => {
    const storage = new MemoryStorage();
    const setup = setupDrafts({ scope: 'bob', keepOtherUsers: true }, storage);
    setup.store.save('x', { who: 'bob' });
    setup.store.flush();
    setup.store.setScope('alice');
    setup.store.save('x', { who: 'alice' });
    setup.store.flush();
    setup.store.save('y', { who: 'alice-pending' });
    setup.store.purge('alice');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(storage.dump()).not.toContain('alice');
    expect(storedEntry(storage, 'bob', 'x')).toMatchObject({ fields: { who: 'bob' } });
    setup.store.destroy();
  });

  test('purge() removes every draft under this name only', () => {
    const storage = new MemoryStorage();
    const a = setupDrafts({ name: 'app-a' }, storage);
    const b = setupDrafts({ name: 'app-b' }, storage);
    a.store.save('x', { n: 1 });
    b.store.save('x', { n: 2 });
    a.store.flush();
    b.store.flush();
    expect([...storage.map.keys()].sort()).toEqual(['app-a:draft:alice:x', 'app-b:draft:alice:x']);
    a.store.purge();
    expect([...storage.map.keys()]).toEqual(['app-b:draft:alice:x']);
    a.store.destroy();
    b.store.destroy();
  });

  test('user ids and keys are encoded in storage keys', () => {
    const { store, storage } = setupDrafts({ scope: 'a:b/c' });
    store.save('form:1', { n: 1 });
    store.flush();
    expect([...storage.map.keys()]).toEqual(['sessionkeeper:draft:a%3Ab%2Fc:form%3A1']);
    store.purge('a:b/c');
    expect(storage.map.size).toBe(0);
    store.destroy();
  });

  test('works with Web Storage that has length/key(i) but no keys()', () => {
    const backing = new MemoryStorage();
    const webStorage = {
      getItem: (k: string) => backing.getItem(k),
      setItem: (k: string, v: string) => backing.setItem(k, v),
      removeItem: (k: string) => backing.removeItem(k),
      get length() {
        return backing.length;
      },
      key: (i: number) => backing.key(i),
    };
    const store = createDraftStore({ scope: 'alice', storage: webStorage });
    for (const key of ['a', 'b', 'c']) store.save(key, { key });
    store.flush();
    backing.setItem('other', 'kept');
    store.purge('alice');
    expect([...backing.map.keys()]).toEqual(['other']);
    store.destroy();
  });

  test('a storage that cannot list keys still loses the drafts this page has seen', async () => {
    const backing = new MemoryStorage();
    const adapter = {
      getItem: (k: string) => backing.getItem(k),
      setItem: (k: string, v: string) => backing.setItem(k, v),
      removeItem: (k: string) => backing.removeItem(k),
    };
    const store = createDraftStore({ scope: 'alice', storage: adapter });
    store.save('a', { n: 1 });
    store.flush();
    store.setScope('bob');
    expect(backing.map.size).toBe(0);
    store.destroy();
  });
});
