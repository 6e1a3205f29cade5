import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  draftKey,
  el,
  mountForm,
  setupDrafts,
  storageWithDraft,
  storedFields,
  typeInto,
} from '../helpers/draft-forms';
import { useFakeClock } from '../helpers/session';
import type { MemoryStorage } from '../helpers/storage';

beforeEach(() => {
  useFakeClock();
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

const CONTACT = '<input name="email" type="email"><textarea name="message"></textarea>';
const ANONYMOUS = { key: 'contact', anonymous: true } as const;
const TYPED = { email: 'guest@example.com', message: 'Do you ship to Iceland?' };
const SIGNED_OUT = { signedIn: false } as const;

const email = (form: HTMLFormElement) => el(form, '[name="email"]');
const message = (form: HTMLFormElement) => el<HTMLTextAreaElement>(form, '[name="message"]');

/** Nobody is signed in; a visitor typed into the contact form and the draft was saved. */
async function visitorDraft(
  options: Parameters<typeof setupDrafts>[0] = {},
  storage?: MemoryStorage,
) {
  const setup = setupDrafts({ scope: null, ...options }, storage);
  const form = mountForm(CONTACT);
  setup.store.attach(form, ANONYMOUS);
  typeInto(email(form), TYPED.email);
  typeInto(message(form), TYPED.message);
  await vi.advanceTimersByTimeAsync(300);
  expect(storedFields(setup.storage, null, 'contact')).toEqual(TYPED);
  return { ...setup, form };
}

/** A page load: the old form goes, a fresh one is mounted. */
function remount(): HTMLFormElement {
  document.body.innerHTML = '';
  return mountForm(CONTACT);
}

describe('a form attached with anonymous: true, while nobody is signed in', () => {
  test('what was typed is restored after a reload, still anonymous', async () => {
    const { store, storage } = await visitorDraft();
    store.destroy();
    const next = setupDrafts({ scope: null }, storage);
    const restored = vi.fn();
    next.store.on('draft-restored', restored);
    const form = remount();
    next.store.attach(form, ANONYMOUS);
    expect(email(form).value).toBe(TYPED.email);
    expect(message(form).value).toBe(TYPED.message);
    expect(next.store.load('contact')).toEqual(TYPED);
    expect(restored).toHaveBeenCalledExactlyOnceWith({
      key: 'contact',
      fields: ['email', 'message'],
    });
    next.store.destroy();
  });

  test('is stored under "@anonymous", which no encoded user id can be', async () => {
    const storage = storageWithDraft({ email: 'theirs' }, '@anonymous', 'contact');
    const { store } = await visitorDraft({}, storage);
    expect([...storage.map.keys()].sort()).toEqual([
      'sessionkeeper:draft:%40anonymous:contact',
      'sessionkeeper:draft:@anonymous:contact',
    ]);
    expect(store.load('contact')).toEqual(TYPED);
    // The user whose id is literally "@anonymous" signs in: only the anonymous draft goes.
    store.setScope('@anonymous');
    expect([...storage.map.keys()]).toEqual(['sessionkeeper:draft:%40anonymous:contact']);
    store.destroy();
  });

  test('a form attached without anonymous: true still keeps nothing', async () => {
    const { store, storage } = setupDrafts(
      { scope: null },
      storageWithDraft(TYPED, null, 'contact'),
    );
    const form = mountForm(CONTACT);
    store.attach(form, { key: 'contact' });
    expect(email(form).value).toBe('');
    expect(store.load('contact')).toBeNull();
    typeInto(email(form), 'typed');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(storage.writes).toBe(1); // storageWithDraft's own
    store.destroy();
  });

  test('never stores secrets, hidden, files, data-draft="off" or excluded fields', async () => {
    const { store, storage } = setupDrafts({ scope: null, exclude: '[name="ssn"]' });
    const form = mountForm(`
      <input name="email">
      <input type="password" name="password">
      <input name="shown" type="password">
      <input name="card" autocomplete="cc-number">
      <input type="hidden" name="csrf" value="S3CRET">
      <input type="file" name="avatar">
      <input name="invite" data-draft="off">
      <input name="ssn">`);
    store.attach(form, { key: 'sign-up', anonymous: true });
    for (const name of ['password', 'shown', 'card', 'invite', 'ssn']) {
      typeInto(el(form, `[name="${name}"]`), 'S3CRET');
    }
    el(form, '[name="shown"]').type = 'text'; // "show password"
    typeInto(el(form, '[name="shown"]'), 'S3CRET!');
    typeInto(el(form, '[name="email"]'), 'guest@example.com');
    store.flush();
    expect(storage.dump()).not.toContain('S3CRET');
    expect(storedFields(storage, null, 'sign-up')).toEqual({ email: 'guest@example.com' });
    store.destroy();
  });

  test('a reset is an edit: the cleared form is saved', async () => {
    const { store, storage, form } = await visitorDraft();
    form.reset();
    await vi.advanceTimersByTimeAsync(300);
    expect(storedFields(storage, null, 'contact')).toEqual({ email: '', message: '' });
    store.destroy();
  });

  test('discard(key) after a successful submit removes it, and the pending save', async () => {
    const { store, storage, form } = await visitorDraft();
    typeInto(message(form), 'sent');
    store.discard('contact');
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    expect(storage.map.size).toBe(0);
    expect(message(form).value).toBe('sent');
    store.destroy();
  });

  test('expires after the store’s ttlMs', async () => {
    const { store, storage } = await visitorDraft({ ttlMs: 60_000 });
    store.destroy();
    vi.advanceTimersByTime(60_001);
    const next = setupDrafts({ scope: null, ttlMs: 60_000 }, storage);
    const form = remount();
    next.store.attach(form, ANONYMOUS);
    expect(email(form).value).toBe('');
    expect(storage.map.size).toBe(0);
    next.store.destroy();
  });

  test('a storage failure is an error event, never thrown; a later flush writes it', async () => {
    const { store, storage } = setupDrafts({ scope: null });
    const errors = vi.fn();
    store.on('error', errors);
    const form = mountForm(CONTACT);
    store.attach(form, ANONYMOUS);
    storage.fail = 'write';
    typeInto(email(form), TYPED.email);
    await vi.advanceTimersByTimeAsync(300);
    expect(errors).toHaveBeenCalledOnce();
    expect(errors.mock.calls[0]?.[0]).toMatchObject({
      source: 'drafts',
      error: { code: 'STORAGE_UNAVAILABLE' },
    });
    storage.fail = false;
    store.flush();
    expect(storedFields(storage, null, 'contact')).toMatchObject({ email: TYPED.email });
    store.destroy();
  });

  test('purge(null) and purge() remove it; purge(userId) leaves it', async () => {
    const storage = storageWithDraft({ theme: 'dark' }, 'bob', 'settings');
    const { store, form } = await visitorDraft({}, storage);
    store.purge('bob');
    expect([...storage.map.keys()]).toEqual([draftKey(null, 'contact')]);
    store.purge(null);
    expect(storage.map.size).toBe(0);
    typeInto(email(form), 'again@example.com');
    store.flush();
    storageWithDraft({ theme: 'dark' }, 'bob', 'settings', storage);
    store.purge();
    expect(storage.map.size).toBe(0);
    store.destroy();
  });
});

describe('a sign-in', () => {
  test('purges it: gone from storage, not filled into a form, not returned by load()', async () => {
    const { store, storage } = await visitorDraft();
    store.setScope('alice');
    expect(storage.map.size).toBe(0);
    expect(store.load('contact')).toBeNull();
    const fresh = remount();
    store.attach(fresh, ANONYMOUS);
    expect(email(fresh).value).toBe('');
    expect(store.restore('contact')).toEqual([]);
    store.destroy();
  });

  test('drops what was typed but not saved yet, writing it nowhere', async () => {
    const { store, storage } = setupDrafts({ scope: null });
    const form = mountForm(CONTACT);
    store.attach(form, ANONYMOUS);
    typeInto(message(form), 'typed just before signing in');
    store.setScope('alice');
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    expect(storage.writes).toBe(0);
    store.destroy();
  });

  test('after a forced re-login of the user also purges it', async () => {
    const storage = storageWithDraft(TYPED, null, 'contact');
    const { store } = setupDrafts({ scope: null }, storage);
    store.setScope('alice', SIGNED_OUT); // a page reloaded while alice's session was expired
    expect(storage.map.size).toBe(1);
    store.setScope('alice');
    expect(storage.map.size).toBe(0);
    store.destroy();
  });

  test('what was typed anonymously is the user’s: after the sign-out it is not saved anonymously again', async () => {
    const { store, storage, form } = await visitorDraft();
    store.setScope('alice');
    store.setScope(null);
    typeInto(email(form), 'other@example.com');
    await vi.advanceTimersByTimeAsync(300);
    expect(storage.dump()).not.toContain(TYPED.message);
    expect(storedFields(storage, null, 'contact')).toEqual({ email: 'other@example.com' });
    store.destroy();
  });

  test('with keepAnonymous, keeps it (pending typing written first), still never shown to the user', async () => {
    const { store, storage, form } = await visitorDraft({ keepAnonymous: true });
    typeInto(message(form), 'last words');
    store.setScope('alice');
    expect(storedFields(storage, null, 'contact')).toEqual({ ...TYPED, message: 'last words' });
    expect(store.load('contact')).toBeNull();
    const fresh = remount();
    store.attach(fresh, ANONYMOUS);
    expect(email(fresh).value).toBe('');
    // Nobody signed in again: the attached form gets the anonymous draft back.
    store.setScope(null);
    expect(email(fresh).value).toBe(TYPED.email);
    expect(message(fresh).value).toBe('last words');
    store.destroy();
  });
});

describe('while a user is in scope', () => {
  test('a signed-in user’s anonymous form shows nothing and saves nothing', async () => {
    const storage = storageWithDraft(TYPED, null, 'contact');
    const { store } = setupDrafts({ keepAnonymous: true }, storage); // alice, signed in
    const restored = vi.fn();
    store.on('draft-restored', restored);
    const form = mountForm(CONTACT);
    store.attach(form, ANONYMOUS);
    expect(email(form).value).toBe('');
    expect(store.load('contact')).toBeNull();
    expect(store.restore('contact')).toEqual([]);
    typeInto(message(form), 'alice writes to support');
    form.reset();
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    expect(storage.writes).toBe(1); // storageWithDraft's own
    expect(storedFields(storage, null, 'contact')).toEqual(TYPED);
    expect(restored).not.toHaveBeenCalled();
    store.destroy();
  });

  test('while the user is not signed in (a forced re-login) it is neither shown nor saved', async () => {
    const storage = storageWithDraft(TYPED, null, 'contact');
    const { store } = setupDrafts({ scope: null }, storage);
    store.setScope('alice', SIGNED_OUT);
    const form = mountForm(CONTACT);
    store.attach(form, ANONYMOUS);
    expect(email(form).value).toBe('');
    expect(store.load('contact')).toBeNull();
    typeInto(message(form), 'the page is alice’s');
    await vi.advanceTimersByTimeAsync(1_000);
    store.flush();
    expect(storage.writes).toBe(1);
    expect(storedFields(storage, null, 'contact')).toEqual(TYPED);
    // Alice signs out instead: the page is nobody's, and the form gets the draft.
    store.purge('alice');
    store.setScope(null);
    expect(email(form).value).toBe(TYPED.email);
    expect(store.load('contact')).toEqual(TYPED);
    store.destroy();
  });

  test('a user whose id is "anonymous" never sees it, and still gets drafts stored in today’s format', () => {
    const storage = storageWithDraft(TYPED, null, 'contact');
    storageWithDraft({ email: 'theirs@example.com' }, 'anonymous', 'contact', storage);
    expect(storage.map.has('sessionkeeper:draft:anonymous:contact')).toBe(true);
    const { store } = setupDrafts({ scope: 'anonymous', keepAnonymous: true }, storage);
    const form = mountForm(CONTACT);
    store.attach(form, { key: 'contact' });
    expect(email(form).value).toBe('theirs@example.com');
    expect(message(form).value).toBe('');
    expect(store.load('contact')).toEqual({ email: 'theirs@example.com' });
    // Signed out, the anonymous form gets the anonymous draft, not theirs.
    store.setScope(null);
    const anonymous = remount();
    store.attach(anonymous, ANONYMOUS);
    expect(email(anonymous).value).toBe(TYPED.email);
    store.destroy();
  });

  test('what a user typed into a mounted anonymous form never reaches the anonymous draft', async () => {
    const { store, storage } = setupDrafts(); // alice, signed in
    const form = mountForm(CONTACT);
    store.attach(form, ANONYMOUS);
    typeInto(message(form), 'alice private text');
    store.setScope(null); // alice signed out; the form stays on the page
    typeInto(email(form), 'guest@example.com');
    await vi.advanceTimersByTimeAsync(300);
    expect(storage.dump()).not.toContain('alice private text');
    expect(storedFields(storage, null, 'contact')).toEqual({ email: 'guest@example.com' });
    store.destroy();
  });
});
