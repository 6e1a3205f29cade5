import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createDraftStore } from '../../src/drafts/draft-store';
import {
  el,
  mountForm,
  setupDrafts,
  storageWithDraft,
  storedEntry,
  typeInto,
} from '../helpers/draft-forms';
import { MemoryStorage } from '../helpers/storage';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

const FORM = '<input name="title"><textarea name="body"></textarea>';

/** Alice typed into the `post` form and the draft was saved. */
async function aliceDraft(storage = new MemoryStorage()) {
  const setup = setupDrafts({}, storage);
  const form = mountForm(FORM);
  setup.store.attach(form, { key: 'post' });
  typeInto(el(form, '[name="title"]'), 'Alice title');
  typeInto(el<HTMLTextAreaElement>(form, '[name="body"]'), 'Alice body');
  await vi.advanceTimersByTimeAsync(300);
  expect(storedEntry(storage, 'alice', 'post')).toBeDefined();
  return { ...setup, form };
}

describe('scope null', () => {
  test('saves nothing and restores nothing', async () => {
    const { store, storage } = setupDrafts({ scope: null });
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'anonymous');
    store.save('other', { a: 1 });
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    expect(storage.writes).toBe(0);
    expect(store.load('post')).toBeNull();
    expect(store.restore('post')).toEqual([]);
    store.destroy();
  });

  test('is the default', () => {
    const store = createDraftStore({ env: { localStorage: new MemoryStorage() } });
    expect(store.getScope()).toBeNull();
    store.destroy();
  });
});

describe('same user', () => {
  test('a forced re-login (null, then alice) restores into an already-attached form', async () => {
    const { store, form, storage } = await aliceDraft();
    const restored = vi.fn();
    store.on('draft-restored', restored);
    store.setScope(null);
    // The app re-rendered the form empty meanwhile (no user edit).
    form.reset();
    store.setScope('alice');
    expect(store.getScope()).toBe('alice');
    expect(el(form, '[name="title"]').value).toBe('Alice title');
    expect(el<HTMLTextAreaElement>(form, '[name="body"]').value).toBe('Alice body');
    expect(restored).toHaveBeenCalledWith({ key: 'post', fields: ['title', 'body'] });
    expect(storedEntry(storage, 'alice', 'post')).toBeDefined();
    store.destroy();
  });

  test('a new page signs in as alice and gets her draft back', async () => {
    const { store, storage } = await aliceDraft();
    store.destroy();
    document.body.innerHTML = '';
    const next = setupDrafts({ scope: null }, storage);
    const form = mountForm(FORM);
    next.store.attach(form, { key: 'post' });
    expect(el(form, '[name="title"]').value).toBe('');
    next.store.setScope('alice');
    expect(el(form, '[name="title"]').value).toBe('Alice title');
    next.store.destroy();
  });

  test('what the user typed before signing in again is not overwritten', async () => {
    const { store, storage } = await aliceDraft();
    store.destroy();
    document.body.innerHTML = '';
    const next = setupDrafts({ scope: null }, storage);
    const form = mountForm(FORM);
    next.store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'typed while signed out');
    next.store.setScope('alice');
    expect(el(form, '[name="title"]').value).toBe('typed while signed out');
    expect(el<HTMLTextAreaElement>(form, '[name="body"]').value).toBe('Alice body');
    next.store.destroy();
  });

  test('pending typing is written under alice when the scope becomes null', async () => {
    const { store, storage } = setupDrafts();
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'last words');
    store.setScope(null);
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({
      fields: { title: 'last words' },
    });
    store.destroy();
  });
});

describe('different user', () => {
  test('sees nothing, and the other user’s drafts are purged', async () => {
    const { store, storage } = await aliceDraft();
    store.save('other-form', { x: 'alice' });
    store.flush();
    store.destroy();
    storage.setItem('unrelated', 'kept');
    document.body.innerHTML = '';

    const next = setupDrafts({ scope: null }, storage);
    const form = mountForm(FORM);
    next.store.attach(form, { key: 'post' });
    next.store.setScope('bob');
    expect(el(form, '[name="title"]').value).toBe('');
    expect(next.store.load('post')).toBeNull();
    expect(storage.dump()).not.toContain('Alice');
    expect([...storage.map.keys()]).toEqual(['unrelated']);
    next.store.destroy();
  });

  test('keepOtherUsers keeps them, still invisible to bob', async () => {
    const { store, storage } = await aliceDraft();
    store.destroy();
    const next = setupDrafts({ scope: null, keepOtherUsers: true }, storage);
    next.store.setScope('bob');
    expect(next.store.load('post')).toBeNull();
    expect(storedEntry(storage, 'alice', 'post')).toBeDefined();
    next.store.setScope('alice');
    expect(next.store.load('post')).toEqual({ title: 'Alice title', body: 'Alice body' });
    next.store.destroy();
  });

  test('alice’s pending save is dropped, never written under bob', async () => {
    const { store, storage } = setupDrafts();
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'Alice pending');
    store.setScope('bob');
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    expect(storage.dump()).not.toContain('Alice pending');
    store.destroy();
  });

  test('alice’s unsaved edits do not shield the form from bob’s own draft', () => {
    const storage = storageWithDraft({ title: 'Bob title' }, 'bob');
    const { store } = setupDrafts({ keepOtherUsers: true }, storage);
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    storage.fail = 'write';
    typeInto(el(form, '[name="title"]'), 'Alice, unsaved');
    store.on('error', () => {});
    store.flush();
    storage.fail = false;
    // Alice's session expired; bob signs in on the same page.
    store.setScope('bob');
    expect(el(form, '[name="title"]').value).toBe('Bob title');
    store.destroy();
  });

  test('a login of another user also sweeps expired drafts of kept users', async () => {
    const storage = new MemoryStorage();
    const old = setupDrafts({ scope: 'carol', ttlMs: 1_000 }, storage);
    old.store.save('a', { v: 'old' });
    old.store.flush();
    old.store.destroy();
    vi.advanceTimersByTime(5_000);
    const next = setupDrafts({ scope: null, ttlMs: 1_000, keepOtherUsers: true }, storage);
    next.store.setScope('bob');
    expect(storage.map.size).toBe(0);
    next.store.destroy();
  });
});
