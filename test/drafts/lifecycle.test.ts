import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  addField,
  el,
  mountForm,
  setupDrafts,
  storageWithDraft,
  storedEntry,
  typeInto,
} from '../helpers/draft-forms';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

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
    const { store, storage, page } = setupDrafts({}, storageWithDraft({ late: 'l' }));
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
    expect(remove.mock.calls.map(([type]) => type).sort()).toEqual(['change', 'input', 'reset']);
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
