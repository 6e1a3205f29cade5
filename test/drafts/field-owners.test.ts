import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  el,
  mountForm,
  setupDrafts,
  storageWithDraft,
  storedFields,
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
const body = (form: HTMLFormElement) => el<HTMLTextAreaElement>(form, '[name="body"]');

/** Alice (signed in) typed a title into the mounted `post` form. */
function aliceTyped(options = {}) {
  const setup = setupDrafts(options);
  const form = mountForm(FORM);
  setup.store.attach(form, { key: 'post' });
  typeInto(el(form, '[name="title"]'), 'Alice private title');
  return { ...setup, form };
}

describe('a form that stays mounted from one user to the next', () => {
  test('alice expires, bob signs in and types: bob’s draft holds only bob’s field', async () => {
    const { store, storage, form } = aliceTyped();
    store.setScope('alice', { signedIn: false });
    store.setScope('bob');
    typeInto(body(form), 'Bob body');
    await vi.advanceTimersByTimeAsync(300);
    expect(storedFields(storage, 'bob', 'post')).toEqual({ body: 'Bob body' });
    expect(storage.dump()).not.toContain('Alice private title');
    store.destroy();
  });

  test('alice logs out, bob signs in and types: bob’s draft holds only bob’s field', async () => {
    const { store, storage, form } = aliceTyped();
    store.purge('alice'); // what the session does on logout
    store.setScope(null);
    store.setScope('bob');
    typeInto(body(form), 'Bob body');
    store.flush();
    expect(storedFields(storage, 'bob', 'post')).toEqual({ body: 'Bob body' });
    expect(storage.dump()).not.toContain('Alice private title');
    store.destroy();
  });

  test('a reload as bob does not bring alice’s text back', async () => {
    const { store, storage, form } = aliceTyped();
    store.setScope('alice', { signedIn: false });
    store.setScope('bob');
    typeInto(body(form), 'Bob body');
    store.destroy();
    document.body.innerHTML = '';

    const reloaded = setupDrafts({ scope: 'bob' }, storage);
    const fresh = mountForm(FORM);
    reloaded.store.attach(fresh, { key: 'post' });
    expect(el(fresh, '[name="title"]').value).toBe('');
    expect(body(fresh).value).toBe('Bob body');
    reloaded.store.destroy();
  });

  test('values restored from alice’s draft are hers, not bob’s', async () => {
    const storage = storageWithDraft({ title: 'Alice restored title' });
    const { store } = setupDrafts({}, storage);
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    expect(el(form, '[name="title"]').value).toBe('Alice restored title');
    store.setScope('alice', { signedIn: false });
    store.setScope('bob');
    typeInto(body(form), 'Bob body');
    store.flush();
    expect(storage.dump()).not.toContain('Alice restored title');
    store.destroy();
  });

  test('a restore for bob overwrites alice’s unsaved values; a field bob edits becomes bob’s', () => {
    const storage = storageWithDraft({ body: 'Bob stored body' }, 'bob');
    const { store } = setupDrafts({ keepOtherUsers: true }, storage);
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'Alice title');
    store.setScope('alice', { signedIn: false });
    typeInto(body(form), 'Alice body, typed while expired');
    store.setScope('bob');
    expect(body(form).value).toBe('Bob stored body');
    typeInto(el(form, '[name="title"]'), 'Bob title');
    store.flush();
    expect(storedFields(storage, 'bob', 'post')).toEqual({
      title: 'Bob title',
      body: 'Bob stored body',
    });
    store.destroy();
  });

  test('text typed before anybody signed in counts for whoever signs in next', async () => {
    const { store, storage } = setupDrafts({ scope: null });
    const form = mountForm(FORM);
    store.attach(form, { key: 'post' });
    typeInto(el(form, '[name="title"]'), 'typed on the login page');
    store.setScope('bob');
    await vi.advanceTimersByTimeAsync(300);
    expect(storedFields(storage, 'bob', 'post')).toEqual({
      title: 'typed on the login page',
      body: '',
    });
    // Bob's now: it does not go into the next user's draft either.
    store.setScope(null);
    store.setScope('carol');
    typeInto(body(form), 'Carol body');
    store.flush();
    expect(storedFields(storage, 'carol', 'post')).toEqual({ body: 'Carol body' });
    expect(storage.dump()).not.toContain('typed on the login page');
    store.destroy();
  });
});
