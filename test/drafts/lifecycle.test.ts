import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { el, mountForm, setupDrafts, storedEntry, typeInto } from '../helpers/draft-forms';
import { MemoryStorage } from '../helpers/storage';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

/** Storage holding alice's draft of `post`. */
function withDraft(fields: object): MemoryStorage {
  const storage = new MemoryStorage();
  storage.setItem(
    'sessionkeeper:draft:alice:post',
    JSON.stringify({ v: 1, savedAt: Date.now(), fields }),
  );
  return storage;
}

function addField(form: HTMLFormElement, html: string): void {
  const wrapper = document.createElement('div');
  wrapper.innerHTML = html;
  form.append(wrapper);
}

describe('saving', () => {
  test('typing is debounced into one write', async () => {
    const { store, storage } = setupDrafts({ debounceMs: 500 });
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    const title = el(form, '[name="title"]');
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) {
      typeInto(title, text);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(storage.writes).toBe(0);
    await vi.advanceTimersByTimeAsync(400);
    expect(storage.writes).toBe(1);
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({ fields: { title: 'Hello' } });
    store.destroy();
  });

  test('a submit event does not discard the draft; discard(key) does', async () => {
    const { store, storage } = setupDrafts();
    const form = mountForm('<input name="title"><button>Send</button>');
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'almost sent');
    form.addEventListener('submit', (event) => event.preventDefault());
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await vi.advanceTimersByTimeAsync(300);
    // The server rejected it: the draft is still there.
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({
      fields: { title: 'almost sent' },
    });
    store.discard('post');
    expect(storedEntry(storage, 'alice', 'post')).toBeUndefined();
    expect(el(form, '[name="title"]').value).toBe('almost sent');
    store.destroy();
  });

  test('discard also cancels a pending save', async () => {
    const { store, storage } = setupDrafts();
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'sent');
    store.discard('post');
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    expect(storage.writes).toBe(0);
    store.destroy();
  });

  test('detach writes what is pending, then stops saving', async () => {
    const { store, storage } = setupDrafts();
    const form = mountForm('<input name="title">');
    const detach = store.attach(form, { key: 'post' });
    const title = el(form, '[name="title"]');
    typeInto(title, 'before');
    detach();
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({ fields: { title: 'before' } });
    typeInto(title, 'after detach');
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    expect(storage.dump()).not.toContain('after detach');
    detach();
    store.destroy();
  });

  test('attaching another form under the same key replaces the first', async () => {
    const { store, storage } = setupDrafts();
    const first = mountForm('<input name="title">');
    const second = mountForm('<input name="title">');
    const detachFirst = store.attach(first, { key: 'post' });
    store.attach(second, { key: 'post' });
    typeInto(el(first, '[name="title"]'), 'old form');
    typeInto(el(second, '[name="title"]'), 'new form');
    detachFirst(); // a stale detach leaves the new form attached
    await vi.advanceTimersByTimeAsync(300);
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({ fields: { title: 'new form' } });
    store.destroy();
  });
});

describe('restoring', () => {
  test("'manual' does not restore on attach; restore(key) does", () => {
    const { store } = setupDrafts({ restore: 'manual' }, withDraft({ title: 'draft' }));
    const restored = vi.fn();
    store.on('draft-restored', restored);
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    expect(el(form, '[name="title"]').value).toBe('');
    expect(restored).not.toHaveBeenCalled();
    expect(store.restore('post')).toEqual(['title']);
    expect(el(form, '[name="title"]').value).toBe('draft');
    expect(restored).toHaveBeenCalledExactlyOnceWith({ key: 'post', fields: ['title'] });
    expect(store.restore('not-attached')).toEqual([]);
    store.destroy();
  });

  test('restoring dispatches events but is not an edit: nothing is saved', async () => {
    const { store, storage } = setupDrafts({}, withDraft({ title: 'draft' }));
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(storage.writes).toBe(1); // the draft written by withDraft only
    store.destroy();
  });

  test('fields added later are restored, until the user edits them', async () => {
    const { store, storage } = setupDrafts(
      {},
      withDraft({ title: 'draft title', street: 'Main St 1', city: 'Berlin', zip: '10115' }),
    );
    const restored = vi.fn();
    store.on('draft-restored', restored);
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    expect(restored).toHaveBeenLastCalledWith({ key: 'post', fields: ['title'] });

    // The user types before the address section renders: the save keeps its draft.
    typeInto(el(form, '[name="title"]'), 'edited title');
    await vi.advanceTimersByTimeAsync(300);
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({
      fields: { title: 'edited title', street: 'Main St 1', city: 'Berlin' },
    });

    addField(form, '<input name="street"><input name="city">');
    await vi.advanceTimersByTimeAsync(0);
    expect(el(form, '[name="street"]').value).toBe('Main St 1');
    expect(el(form, '[name="city"]').value).toBe('Berlin');
    expect(restored).toHaveBeenLastCalledWith({ key: 'post', fields: ['street', 'city'] });

    // Edited fields are never overwritten by a later restore of their group.
    typeInto(el(form, '[name="city"]'), 'Hamburg');
    addField(form, '<input name="city">');
    await vi.advanceTimersByTimeAsync(0);
    expect(el(form, '[name="city"]').value).toBe('Hamburg');
    expect(form.querySelectorAll<HTMLInputElement>('[name="city"]')[1]?.value).toBe('');

    // The title re-rendered: the user's value stays (no restore is waiting for it).
    el(form, '[name="title"]').remove();
    addField(form, '<input name="title" value="">');
    await vi.advanceTimersByTimeAsync(0);
    expect(el(form, '[name="title"]').value).toBe('');
    store.destroy();
  });

  test('a late field of a discarded draft is not restored', async () => {
    const { store } = setupDrafts({}, withDraft({ title: 't', late: 'secret plan' }));
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    store.discard('post');
    addField(form, '<input name="late">');
    await vi.advanceTimersByTimeAsync(0);
    expect(el(form, '[name="late"]').value).toBe('');
    store.destroy();
  });

  test('the observer runs only while a late field is awaited', async () => {
    const observe = vi.spyOn(MutationObserver.prototype, 'observe');
    const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect');
    const { store } = setupDrafts({}, withDraft({ title: 't', late: 'l' }));
    store.attach(mountForm('<input name="title">'), { key: 'post' });
    const other = mountForm('<input name="x">');
    store.attach(other, { key: 'nothing-stored' });
    expect(observe).toHaveBeenCalledTimes(1);
    addField(document.querySelector('form') as HTMLFormElement, '<input name="late">');
    await vi.advanceTimersByTimeAsync(0);
    expect(disconnect).toHaveBeenCalledTimes(1);
    store.destroy();
  });
});

describe('page lifecycle', () => {
  test('pending saves are flushed on pagehide', () => {
    const { store, storage, page } = setupDrafts();
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'closing the tab');
    page.fire('pagehide');
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({
      fields: { title: 'closing the tab' },
    });
    store.destroy();
  });

  test('pending saves are flushed when the page is hidden, not when shown', () => {
    const { store, storage, page } = setupDrafts();
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'switching tabs');
    page.setVisibility('visible');
    expect(storage.writes).toBe(0);
    page.setVisibility('hidden');
    expect(storage.writes).toBe(1);
    store.destroy();
  });

  test('page listeners exist only while a form is attached or a save is pending', () => {
    const { store, page } = setupDrafts();
    expect(page.listeners()).toEqual({});
    const detach = store.attach(mountForm('<input name="a">'), { key: 'a' });
    expect(page.listeners()).toEqual({ 'window:pagehide': 1, 'document:visibilitychange': 1 });
    store.attach(mountForm('<input name="b">'), { key: 'b' });
    expect(page.listeners()).toEqual({ 'window:pagehide': 1, 'document:visibilitychange': 1 });
    detach();
    store.destroy();
    expect(page.listeners()).toEqual({});

    const other = setupDrafts();
    other.store.save('x', { n: 1 });
    expect(other.page.listeners()).toEqual({
      'window:pagehide': 1,
      'document:visibilitychange': 1,
    });
    other.store.flush();
    expect(other.page.listeners()).toEqual({});
    other.store.destroy();
  });

  test('destroy flushes, detaches, and removes every listener, observer and timer', async () => {
    const { store, storage, page } = setupDrafts({}, withDraft({ late: 'l' }));
    const saved = vi.fn();
    store.on('draft-saved', saved);
    const form = mountForm('<input name="title">');
    const remove = vi.spyOn(form, 'removeEventListener');
    const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect');
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'last');
    store.destroy();
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({ fields: { title: 'last' } });
    expect(saved).toHaveBeenCalledTimes(1);
    expect(remove.mock.calls.map(([type]) => type).sort()).toEqual(['change', 'input']);
    expect(disconnect).toHaveBeenCalled();
    expect(page.listeners()).toEqual({});
    expect(vi.getTimerCount()).toBe(0);

    // Nothing happens any more.
    const writes = storage.writes;
    typeInto(el(form, '[name="title"]'), 'after destroy');
    addField(form, '<input name="late">');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(el(form, '[name="late"]').value).toBe('');
    expect(storage.writes).toBe(writes);
    expect(store.attach(form, { key: 'post' })).toBeTypeOf('function');
    expect(store.load('post')).toBeNull();
    store.destroy();
  });
});
