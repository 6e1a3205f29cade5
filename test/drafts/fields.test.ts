import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createDraftStore } from '../../src/drafts/draft-store';
import { choose, el, mountForm, setupDrafts, storedEntry, typeInto } from '../helpers/draft-forms';

const FORM = `
  <input name="text"><input type="email" name="email"><input type="search" name="search">
  <input type="url" name="url"><input type="tel" name="tel"><input type="number" name="number">
  <input type="date" name="date"><input type="time" name="time">
  <input type="datetime-local" name="local"><input type="month" name="month">
  <input type="week" name="week"><input type="color" name="color" value="#000000">
  <input type="range" name="range" min="0" max="10" value="5">
  <textarea name="notes"></textarea>
  <select name="size"><option value="s">S</option><option value="m">M</option><option value="l">L</option></select>
  <select name="tags" multiple><option value="a">A</option><option value="b">B</option><option value="c">C</option></select>
  <input type="checkbox" name="agree">
  <input type="checkbox" name="pets" value="cat"><input type="checkbox" name="pets" value="dog">
  <input type="checkbox" name="pets" value="fish">
  <input type="radio" name="plan" value="free"><input type="radio" name="plan" value="pro">
  <input name="phone"><input name="phone"><input name="phone">
`;

const TYPED: Record<string, string> = {
  text: 'Hello',
  email: 'a@example.com',
  search: 'query',
  url: 'https://example.com/x',
  tel: '+49 30 1234',
  number: '42',
  date: '2024-05-06',
  time: '13:45',
  local: '2024-05-06T13:45',
  month: '2024-05',
  week: '2024-W19',
  color: '#336699',
  range: '7',
  notes: 'line one\nline two',
};

function fillEverything(form: HTMLFormElement): void {
  for (const [name, value] of Object.entries(TYPED)) {
    typeInto(el<HTMLInputElement>(form, `[name="${name}"]`), value);
  }
  choose(el<HTMLSelectElement>(form, '[name="size"]'), 'l');
  choose(el<HTMLSelectElement>(form, '[name="tags"]'), 'a', 'c');
  el(form, '[name="agree"]').click();
  el(form, '[name="pets"][value="cat"]').click();
  el(form, '[name="pets"][value="fish"]').click();
  el(form, '[name="plan"][value="pro"]').click();
  const phones = form.querySelectorAll<HTMLInputElement>('[name="phone"]');
  typeInto(phones[0]!, '111');
  typeInto(phones[2]!, '333');
}

const EXPECTED = {
  ...TYPED,
  size: 'l',
  tags: ['a', 'c'],
  agree: true,
  pets: ['cat', 'fish'],
  plan: 'pro',
  phone: ['111', '', '333'],
};

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('every field type', () => {
  test('is stored as a versioned entry with one value per name', async () => {
    const { store, storage } = setupDrafts();
    const form = mountForm(FORM);
    store.attach(form, { key: 'everything' });
    fillEverything(form);
    await vi.advanceTimersByTimeAsync(300);
    expect(storedEntry(storage, 'alice', 'everything')).toEqual({
      v: 1,
      savedAt: 1_700_000_000_300,
      fields: EXPECTED,
    });
    store.destroy();
  });

  test('round-trips into a fresh identical form', async () => {
    const { store, storage } = setupDrafts();
    const first = mountForm(FORM);
    const detach = store.attach(first, { key: 'everything' });
    fillEverything(first);
    await vi.advanceTimersByTimeAsync(300);
    detach();
    store.destroy();
    first.remove();

    // A new page: a new store over the same storage, a fresh form.
    const later = setupDrafts({}, storage);
    const restored = vi.fn();
    later.store.on('draft-restored', restored);
    const second = mountForm(FORM);
    later.store.attach(second, { key: 'everything' });

    expect(later.store.load('everything')).toEqual(EXPECTED);
    for (const [name, value] of Object.entries(TYPED)) {
      expect(el<HTMLInputElement>(second, `[name="${name}"]`).value).toBe(value);
    }
    expect(el<HTMLSelectElement>(second, '[name="size"]').value).toBe('l');
    const tags = Array.from(el<HTMLSelectElement>(second, '[name="tags"]').selectedOptions);
    expect(tags.map((option) => option.value)).toEqual(['a', 'c']);
    expect(el(second, '[name="agree"]').checked).toBe(true);
    const pets = Array.from(second.querySelectorAll<HTMLInputElement>('[name="pets"]:checked'));
    expect(pets.map((box) => box.value)).toEqual(['cat', 'fish']);
    expect(el(second, '[name="plan"][value="pro"]').checked).toBe(true);
    expect(el(second, '[name="plan"][value="free"]').checked).toBe(false);
    const phones = Array.from(second.querySelectorAll<HTMLInputElement>('[name="phone"]'));
    expect(phones.map((phone) => phone.value)).toEqual(['111', '', '333']);
    // The default values of color and range were changed too, so every name was restored.
    expect(restored).toHaveBeenCalledWith({
      key: 'everything',
      fields: Object.keys(EXPECTED),
    });
    later.store.destroy();
  });

  test('unchecking and clearing round-trip too', async () => {
    const { store, storage } = setupDrafts({ restore: 'manual' });
    const form = mountForm(`
      <input type="checkbox" name="agree" checked><input type="radio" name="plan" value="a" checked>
      <input type="radio" name="plan" value="b"><select name="tags" multiple><option value="x" selected>X</option></select>`);
    store.attach(form, { key: 'f' });
    el(form, '[name="agree"]').click();
    choose(el<HTMLSelectElement>(form, '[name="tags"]'));
    await vi.advanceTimersByTimeAsync(300);
    expect(storedEntry(storage, 'alice', 'f')).toMatchObject({
      fields: { agree: false, plan: 'a', tags: [] },
    });
    store.save('f', { agree: false, plan: null, tags: [] });
    store.flush();
    // The app puts the initial values back (no user edit, no events), then restores the draft.
    // (A `reset` would be an edit of every field, saved: see reset.test.ts.)
    for (const field of form.querySelectorAll('input')) field.checked = field.defaultChecked;
    for (const option of form.querySelectorAll('option'))
      option.selected = option.hasAttribute('selected');
    expect(store.restore('f').sort()).toEqual(['agree', 'plan', 'tags']);
    expect(el(form, '[name="agree"]').checked).toBe(false);
    expect(form.querySelector('[name="plan"]:checked')).toBeNull();
    expect(el<HTMLSelectElement>(form, '[name="tags"]').selectedOptions).toHaveLength(0);
    store.destroy();
  });

  test('values of the wrong shape (the form changed since) are skipped', () => {
    const { store } = setupDrafts({ restore: 'manual' });
    const form = mountForm(`
      <input name="text" value="keep"><select name="size"><option value="s">S</option></select>
      <input type="checkbox" name="agree"><input type="radio" name="plan" value="a">`);
    store.attach(form, { key: 'f' });
    store.save('f', { text: 5, size: 'unknown-option', agree: 'yes', plan: ['a'], gone: 'x' });
    expect(store.restore('f')).toEqual([]);
    expect(el(form, '[name="text"]').value).toBe('keep');
    expect(el<HTMLSelectElement>(form, '[name="size"]').value).toBe('s');
    store.destroy();
  });

  test('a field named __proto__ is an ordinary key', async () => {
    const storage = setupDrafts().storage;
    const store = createDraftStore({ scope: 'alice', env: { localStorage: storage } });
    const form = mountForm('<input name="__proto__"><input name="constructor">');
    store.attach(form, { key: 'odd' });
    typeInto(el(form, '[name="__proto__"]'), 'p');
    typeInto(el(form, '[name="constructor"]'), 'c');
    store.flush();
    expect(storedEntry(storage, 'alice', 'odd')).toMatchObject({
      fields: JSON.parse('{"__proto__":"p","constructor":"c"}'),
    });
    store.destroy();
  });
});
