import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createDraftStore } from '../../src/drafts/draft-store';
import type { DraftStoreEventMap } from '../../src/drafts/types';
import { SessionError } from '../../src/lib/errors';
import { el, mountForm, setupDrafts, storedEntry, typeInto } from '../helpers/draft-forms';
import { MemoryStorage } from '../helpers/storage';

const KEY = 'sessionkeeper:draft:alice:post';
const START = 1_700_000_000_000;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

function entry(fields: object, savedAt = START, v: unknown = 1) {
  return JSON.stringify({ v, savedAt, fields });
}

describe('reading entries', () => {
  test('a valid entry is restored into an attached form', () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, entry({ title: 'stored' }));
    const { store } = setupDrafts({}, storage);
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    expect(el(form, '[name="title"]').value).toBe('stored');
    store.destroy();
  });

  test('an entry is kept for exactly ttlMs, then removed and ignored', () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, entry({ title: 'old' }));
    const { store } = setupDrafts({ ttlMs: 60_000 }, storage);
    vi.setSystemTime(START + 60_000);
    expect(store.load('post')).toEqual({ title: 'old' });
    vi.setSystemTime(START + 60_001);
    expect(store.load('post')).toBeNull();
    expect(storage.map.has(KEY)).toBe(false);
    store.destroy();
  });

  test('the default TTL is 24 hours', () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, entry({ title: 'old' }));
    const { store } = setupDrafts({}, storage);
    vi.setSystemTime(START + 86_400_000);
    expect(store.load('post')).not.toBeNull();
    vi.setSystemTime(START + 86_400_001);
    expect(store.load('post')).toBeNull();
    store.destroy();
  });

  test.each([
    ['corrupt JSON', '{"v":1,"savedAt":'],
    ['a wrong version', entry({ title: 'x' }, START, 2)],
    ['no version', JSON.stringify({ savedAt: START, fields: {} })],
    ['fields that are not an object', JSON.stringify({ v: 1, savedAt: START, fields: 'x' })],
    ['a savedAt that is not a number', JSON.stringify({ v: 1, savedAt: 'now', fields: {} })],
    ['JSON null', 'null'],
  ])('%s is removed and ignored', (_, raw) => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, raw);
    const { store } = setupDrafts({}, storage);
    const form = mountForm('<input name="title" value="initial">');
    const restored = vi.fn();
    store.on('draft-restored', restored);
    store.attach(form, { key: 'post' });
    expect(el(form, '[name="title"]').value).toBe('initial');
    expect(restored).not.toHaveBeenCalled();
    expect(storage.map.has(KEY)).toBe(false);
    store.destroy();
  });
});

describe('programmatic save and load', () => {
  test('save is debounced, load sees the pending values at once', async () => {
    const { store, storage } = setupDrafts();
    const saved = vi.fn();
    store.on('draft-saved', saved);
    store.save('post', { title: 'a' });
    store.save('post', { title: 'ab' });
    expect(store.load('post')).toEqual({ title: 'ab' });
    expect(storage.writes).toBe(0);
    await vi.advanceTimersByTimeAsync(299);
    expect(storage.writes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(storage.writes).toBe(1);
    expect(saved).toHaveBeenCalledExactlyOnceWith({ key: 'post' });
    expect(storedEntry(storage, 'alice', 'post')).toEqual({
      v: 1,
      savedAt: START + 300,
      fields: { title: 'ab' },
    });
    store.destroy();
  });

  test('later changes to the passed object do not change the draft', () => {
    const { store } = setupDrafts();
    const values = { list: ['a'] };
    store.save('post', values);
    values.list.push('b');
    store.flush();
    expect(store.load('post')).toEqual({ list: ['a'] });
    store.destroy();
  });

  test('values that are not a JSON object are a programming error', () => {
    const { store } = setupDrafts();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => store.save('post', circular)).toThrow(TypeError);
    expect(() => store.save('post', ['a'] as unknown as Record<string, unknown>)).toThrow(
      TypeError,
    );
    expect(() => store.save('post', null as unknown as Record<string, unknown>)).toThrow(TypeError);
    store.destroy();
  });
});

describe('storage that fails', () => {
  function errorsOf(store: ReturnType<typeof setupDrafts>['store']) {
    const errors: DraftStoreEventMap['error'][] = [];
    store.on('error', (event) => errors.push(event));
    return errors;
  }

  test('a throwing setItem is an error event; the draft waits in memory for a later flush', async () => {
    const storage = new MemoryStorage();
    const { store } = setupDrafts({}, storage);
    const errors = errorsOf(store);
    const saved = vi.fn();
    store.on('draft-saved', saved);
    const form = mountForm('<input name="title"><input name="other">');
    store.attach(form, { key: 'post' });
    storage.fail = 'write';

    const title = el(form, '[name="title"]');
    expect(() => typeInto(title, 'private text')).not.toThrow();
    await vi.advanceTimersByTimeAsync(300);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.source).toBe('drafts');
    expect(errors[0]?.error).toBeInstanceOf(SessionError);
    expect(errors[0]?.error.code).toBe('STORAGE_UNAVAILABLE');
    expect(errors[0]?.error.message).not.toContain('private text');
    expect(saved).not.toHaveBeenCalled();

    // The form keeps working, and a failure streak reports once.
    typeInto(el(form, '[name="other"]'), 'more');
    expect(title.value).toBe('private text');
    await vi.advanceTimersByTimeAsync(300);
    store.flush();
    expect(errors).toHaveLength(1);

    storage.fail = false;
    store.flush();
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({
      fields: { title: 'private text', other: 'more' },
    });
    expect(saved).toHaveBeenCalledExactlyOnceWith({ key: 'post' });

    // After a success, the next failure is reported again.
    storage.fail = 'all';
    store.save('post', { title: 'x' });
    store.flush();
    expect(errors).toHaveLength(2);
    store.destroy();
  });

  test('a draft that failed to write survives the form being detached', () => {
    const storage = new MemoryStorage();
    const { store } = setupDrafts({}, storage);
    errorsOf(store);
    const form = mountForm('<input name="title">');
    const detach = store.attach(form, { key: 'post' });
    storage.fail = 'write';
    typeInto(el(form, '[name="title"]'), 'unsaved');
    detach();
    form.remove();
    storage.fail = false;
    store.flush();
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({ fields: { title: 'unsaved' } });
    store.destroy();
  });

  test('storage whose access throws a SecurityError', () => {
    const store = createDraftStore({
      scope: 'alice',
      env: {
        get localStorage(): never {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      },
    });
    const errors = errorsOf(store as never);
    const form = mountForm('<input name="title">');
    expect(() => store.attach(form, { key: 'post' })).not.toThrow();
    expect(store.load('post')).toBeNull();
    typeInto(el(form, '[name="title"]'), 'x');
    expect(() => store.flush()).not.toThrow();
    expect(() => store.discard('post')).not.toThrow();
    expect(() => store.purge()).not.toThrow();
    expect(errors.map((e) => e.error.code)).toContain('STORAGE_UNAVAILABLE');
    store.destroy();
  });

  test('no storage at all (null)', () => {
    const store = createDraftStore({ scope: 'alice', env: { localStorage: null } });
    const errors: unknown[] = [];
    store.on('error', (event) => errors.push(event));
    store.save('post', { title: 'x' });
    expect(() => store.flush()).not.toThrow();
    expect(errors).toHaveLength(1);
    store.destroy();
  });

  test("'session' and a custom adapter are used as asked", () => {
    const session = new MemoryStorage();
    const local = new MemoryStorage();
    const custom = new MemoryStorage();
    const a = createDraftStore({
      scope: 'alice',
      storage: 'session',
      env: { sessionStorage: session, localStorage: local },
    });
    const b = createDraftStore({ scope: 'alice', storage: custom, env: { localStorage: local } });
    a.save('x', { n: 1 });
    b.save('x', { n: 2 });
    a.flush();
    b.flush();
    expect(session.writes).toBe(1);
    expect(custom.writes).toBe(1);
    expect(local.writes).toBe(0);
    a.destroy();
    b.destroy();
  });
});
