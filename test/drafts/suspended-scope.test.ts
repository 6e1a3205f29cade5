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

const FORM = '<input name="title"><textarea name="body"></textarea>';
const ALICE_DRAFT = { title: 'Alice title', body: 'Alice body' };
const SIGNED_OUT = { signedIn: false } as const;

/** A page whose session was forced to end (or reloaded while so): alice is known, not signed in. */
function suspendedPage(storage = storageWithDraft(ALICE_DRAFT)) {
  const setup = setupDrafts({ scope: null }, storage);
  setup.store.setScope('alice', SIGNED_OUT);
  return setup;
}

describe('a scope whose user is not signed in', () => {
  test('fills no form attached meanwhile, and load() and restore() return nothing', () => {
    const { store } = suspendedPage();
    const restored = vi.fn();
    store.on('draft-restored', restored);
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    expect(store.getScope()).toBe('alice');
    expect(el(form, '[name="title"]').value).toBe('');
    expect(store.load('post')).toBeNull();
    expect(store.restore('post')).toEqual([]);
    expect(restored).not.toHaveBeenCalled();
    store.destroy();
  });

  test('the owner signing in again gets the draft into the form attached meanwhile', () => {
    const { store } = suspendedPage();
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    store.setScope('alice');
    expect(el(form, '[name="title"]').value).toBe('Alice title');
    expect(store.load('post')).toEqual(ALICE_DRAFT);
    store.destroy();
  });

  test('pending typing is written under the user when their session is forced to end', () => {
    const { store, storage } = setupDrafts();
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'last words');
    store.setScope('alice', SIGNED_OUT);
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({
      fields: { title: 'last words' },
    });
    store.destroy();
  });

  test('writes nothing meanwhile: typing into the empty reloaded form does not overwrite the draft', async () => {
    const { store, storage, page } = suspendedPage();
    const writes = storage.writes;
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'New title');
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    page.fire('pagehide');
    expect(storage.writes).toBe(writes);
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({ fields: ALICE_DRAFT });
    store.destroy();
  });

  test('what was typed meanwhile is kept over the draft, and saved with it, when the owner signs in', async () => {
    const { store, storage } = suspendedPage();
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'New title');
    store.setScope('alice');
    expect(el(form, '[name="title"]').value).toBe('New title');
    expect(el<HTMLTextAreaElement>(form, '[name="body"]').value).toBe('Alice body');
    await vi.advanceTimersByTimeAsync(300);
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({
      fields: { title: 'New title', body: 'Alice body' },
    });
    store.destroy();
  });

  test('a programmatic save() meanwhile keeps nothing', () => {
    const { store, storage } = suspendedPage();
    store.save('note', { text: 'while expired' });
    store.flush();
    store.setScope('alice');
    store.flush();
    expect(storage.dump()).not.toContain('while expired');
    expect(store.load('note')).toBeNull();
    store.destroy();
  });

  test('late fields of a restored draft are not filled after the session was forced to end', async () => {
    const { store } = setupDrafts({}, storageWithDraft({ title: 't', late: 'late value' }));
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    store.setScope('alice', SIGNED_OUT);
    addField(form, '<input name="late">');
    await vi.advanceTimersByTimeAsync(0);
    expect(el(form, '[name="late"]').value).toBe('');
    store.destroy();
  });

  test('a failed save is kept, and written only once the owner signed in again', () => {
    const { store, storage } = setupDrafts();
    store.on('error', () => {});
    store.save('note', { text: 'before expiry' });
    storage.fail = 'write';
    store.setScope('alice', SIGNED_OUT); // the flush fails
    storage.fail = false;
    store.flush();
    expect(storage.dump()).not.toContain('before expiry');
    store.setScope('alice');
    store.flush();
    expect(storedEntry(storage, 'alice', 'note')).toMatchObject({
      fields: { text: 'before expiry' },
    });
    store.destroy();
  });
});
