import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { el, mountForm, setupDrafts, storedFields, typeInto } from '../helpers/draft-forms';
import { useFakeClock } from '../helpers/session';
import { MemoryStorage } from '../helpers/storage';

beforeEach(() => {
  useFakeClock();
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

const FORM = '<input name="title"><input name="secret">';

/** Type into both fields of `form`. */
function fill(form: HTMLFormElement): void {
  typeInto(el(form, '[name="title"]'), 'a title');
  typeInto(el(form, '[name="secret"]'), 'S3CRET');
}

describe('a form’s own exclude', () => {
  test('replaces the store’s, for that form only', () => {
    const { store, storage } = setupDrafts({ exclude: '[name="title"]' });
    const own = mountForm(FORM);
    const other = mountForm(FORM);
    store.attach(own, { key: 'own', exclude: '[name="secret"]' });
    store.attach(other, { key: 'other' });
    fill(own);
    fill(other);
    store.flush();
    expect(storedFields(storage, 'alice', 'own')).toEqual({ title: 'a title' });
    expect(storedFields(storage, 'alice', 'other')).toEqual({ secret: 'S3CRET' });
    store.destroy();
  });

  test('may be a predicate, and is not restored either', () => {
    const { store } = setupDrafts({ restore: 'manual' });
    const form = mountForm(FORM);
    store.attach(form, { key: 'f', exclude: (field) => field.getAttribute('name') === 'secret' });
    store.save('f', { title: 'from draft', secret: 'forged' });
    expect(store.restore('f')).toEqual(['title']);
    expect(el(form, '[name="secret"]').value).toBe('');
    store.destroy();
  });

  test('an invalid selector fails at attach', () => {
    const { store } = setupDrafts();
    expect(() => store.attach(mountForm(FORM), { key: 'f', exclude: '[[bad' })).toThrow();
    store.destroy();
  });
});

describe('a form’s own ttlMs', () => {
  /** Both forms of alice saved now; the store keeps drafts `storeTtl` ms, `short` keeps `formTtl`. */
  function twoDrafts(storeTtl: number, formTtl: number) {
    const storage = new MemoryStorage();
    const { store } = setupDrafts({ ttlMs: storeTtl }, storage);
    const own = mountForm(FORM);
    const other = mountForm(FORM);
    store.attach(own, { key: 'own', ttlMs: formTtl });
    store.attach(other, { key: 'other' });
    fill(own);
    fill(other);
    store.flush();
    store.destroy();
    document.body.innerHTML = '';
    return storage;
  }

  /** A new page of alice's, where both forms are attached again; their titles. */
  function reload(storage: MemoryStorage, options = {}) {
    const { store } = setupDrafts({ ttlMs: 10_000, ...options }, storage);
    const own = mountForm(FORM);
    const other = mountForm(FORM);
    store.attach(own, { key: 'own', ttlMs: 999_999 }); // what the entry says counts
    store.attach(other, { key: 'other' });
    const titles = [own, other].map((form) => el(form, '[name="title"]').value);
    store.destroy();
    return titles;
  }

  test('a shorter one expires that form’s draft only', () => {
    const storage = twoDrafts(10_000, 1_000);
    vi.advanceTimersByTime(1_000);
    expect(reload(storage)).toEqual(['a title', 'a title']);
    vi.advanceTimersByTime(1);
    expect(reload(storage)).toEqual(['', 'a title']);
    expect(storedFields(storage, 'alice', 'own')).toBeUndefined();
  });

  test('a longer one keeps that form’s draft, also through the sweep at another user’s sign-in', () => {
    const storage = twoDrafts(10_000, 60_000);
    vi.advanceTimersByTime(30_000);
    const bob = setupDrafts({ scope: null, ttlMs: 10_000, keepOtherUsers: true }, storage);
    bob.store.setScope('bob'); // sweeps expired drafts of the users kept
    bob.store.destroy();
    expect(storedFields(storage, 'alice', 'other')).toBeUndefined();
    expect(reload(storage)).toEqual(['a title', '']);
  });
});

test('a ttlMs that is not a finite number of ms (≥ 0) is refused at attach', () => {
  const { store } = setupDrafts();
  for (const ttlMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    expect(() => store.attach(mountForm(FORM), { key: 'f', ttlMs })).toThrow(RangeError);
  }
  store.destroy();
});
