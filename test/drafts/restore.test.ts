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

describe('restoring', () => {
  test("'manual' does not restore on attach; restore(key) does", () => {
    const { store } = setupDrafts({ restore: 'manual' }, storageWithDraft({ title: 'draft' }));
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
    const { store, storage } = setupDrafts({}, storageWithDraft({ title: 'draft' }));
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'post' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(storage.writes).toBe(1); // the draft written by storageWithDraft only
    store.destroy();
  });

  test('fields added later are restored, until the user edits them', async () => {
    const { store, storage } = setupDrafts(
      {},
      storageWithDraft({ title: 'draft title', street: 'Main St 1', city: 'Berlin', zip: '10115' }),
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
    const { store } = setupDrafts({}, storageWithDraft({ title: 't', late: 'secret plan' }));
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
    const { store } = setupDrafts({}, storageWithDraft({ title: 't', late: 'l' }));
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
