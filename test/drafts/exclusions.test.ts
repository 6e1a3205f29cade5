import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  addField,
  el,
  mountForm,
  setupDrafts,
  storedEntry,
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

const SECRET = 'S3CRET-VALUE';

test('secrets and excluded fields never reach storage', async () => {
  const { store, storage } = setupDrafts({
    exclude: (field) => field.getAttribute('name') === 'by-function',
  });
  const form = mountForm(`
    <input name="kept">
    <input type="password" name="password">
    <input type="text" name="shown-password" autocomplete="current-password">
    <input type="text" name="new-password" autocomplete="new-password">
    <input type="file" name="upload">
    <input type="hidden" name="csrf" value="${SECRET}">
    <input type="submit" name="go" value="${SECRET}">
    <input type="button" name="btn" value="${SECRET}">
    <input type="reset" name="rst" value="${SECRET}">
    <input type="image" name="img" value="${SECRET}">
    <input name="card" autocomplete="cc-number">
    <input name="cvc" autocomplete="billing cc-csc">
    <input name="code" autocomplete="one-time-code">
    <input name="marked" data-draft="off">
    <fieldset data-draft="off"><input name="in-marked-fieldset"></fieldset>
    <div data-draft="off"><textarea name="in-marked-div"></textarea></div>
    <input name="by-function">
    <input data-draft="kept-but-nameless">
    <button name="button" value="${SECRET}">Send</button>
  `);
  store.attach(form, { key: 'signup' });
  for (const field of Array.from(form.querySelectorAll<HTMLInputElement>('input, textarea'))) {
    if (['hidden', 'submit', 'button', 'reset', 'image', 'file'].includes(field.type)) continue;
    typeInto(field, field.name === 'kept' ? 'visible' : SECRET);
  }
  await vi.advanceTimersByTimeAsync(300);
  expect(storage.dump()).not.toContain(SECRET);
  expect(storedEntry(storage, 'alice', 'signup')).toMatchObject({ fields: { kept: 'visible' } });
  expect(
    Object.keys((storedEntry(storage, 'alice', 'signup') as { fields: object }).fields),
  ).toEqual(['kept']);
  store.destroy();
});

test('an exclude selector matches the field or an ancestor inside the form', async () => {
  const { store, storage } = setupDrafts({ exclude: '.private, [name="ssn"]' });
  const form = mountForm(`
    <input name="kept"><input name="ssn"><input name="note" class="private">
    <div class="private"><input name="inside"></div>`);
  store.attach(form, { key: 'f' });
  for (const name of ['ssn', 'note', 'inside']) typeInto(el(form, `[name="${name}"]`), SECRET);
  typeInto(el(form, '[name="kept"]'), 'ok');
  store.flush();
  expect(storage.dump()).not.toContain(SECRET);
  expect(storedEntry(storage, 'alice', 'f')).toMatchObject({ fields: { kept: 'ok' } });
  store.destroy();
});

test('typing only into excluded fields schedules no save at all', async () => {
  const { store, storage } = setupDrafts();
  const form = mountForm(
    '<input type="password" name="pw"><input name="otp" autocomplete="one-time-code">',
  );
  store.attach(form, { key: 'login' });
  typeInto(el(form, '[name="pw"]'), SECRET);
  typeInto(el(form, '[name="otp"]'), SECRET);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(storage.writes).toBe(0);
  expect(storage.dump()).toBe('');
  store.destroy();
});

test('a data-draft="off" form stores nothing', async () => {
  const { store, storage } = setupDrafts();
  const form = mountForm('<input name="a">');
  form.setAttribute('data-draft', 'off');
  store.attach(form, { key: 'off' });
  typeInto(el(form, '[name="a"]'), SECRET);
  await vi.advanceTimersByTimeAsync(300);
  expect(storage.dump()).not.toContain(SECRET);
  store.destroy();
});

test('excluded fields are not restored either', () => {
  const { store } = setupDrafts({ restore: 'manual' });
  const form = mountForm(
    '<input type="hidden" name="csrf" value="server"><input name="card" autocomplete="cc-number">',
  );
  store.attach(form, { key: 'pay' });
  // Even a draft written by something else cannot fill secret fields.
  store.save('pay', { csrf: 'forged', card: '4111' });
  expect(store.restore('pay')).toEqual([]);
  expect(el(form, '[name="csrf"]').value).toBe('server');
  expect(el(form, '[name="card"]').value).toBe('');
  store.destroy();
});

test('an invalid exclude selector fails at attach, not on a keystroke', () => {
  const { store } = setupDrafts({ exclude: '[[bad' });
  expect(() => store.attach(mountForm('<input name="a">'), { key: 'f' })).toThrow();
  store.destroy();
});

describe('a field that was ever a password field', () => {
  test('is not stored after a "show password" toggle made it type="text"', () => {
    const { store, storage } = setupDrafts();
    const form = mountForm('<input name="title"><input type="password" name="pw">');
    store.attach(form, { key: 'login' });
    const pw = el(form, '[name="pw"]');
    typeInto(pw, SECRET);
    pw.type = 'text'; // "show password"
    typeInto(pw, `${SECRET}!`);
    typeInto(el(form, '[name="title"]'), 'visible');
    store.flush();
    expect(storage.dump()).not.toContain(SECRET);
    expect(storedFields(storage, 'alice', 'login')).toEqual({ title: 'visible' });
    store.destroy();
  });

  test('is not stored when it became a password field after the attach', () => {
    const { store, storage } = setupDrafts();
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'login' });
    addField(form, '<input type="password" name="late-pw">');
    const pw = el(form, '[name="late-pw"]');
    typeInto(pw, SECRET); // the event shows it as a password field
    pw.type = 'text';
    typeInto(el(form, '[name="title"]'), 'visible');
    store.flush();
    expect(storage.dump()).not.toContain(SECRET);
    store.destroy();
  });

  test('seen only when the form was read is never stored afterwards either', () => {
    const { store, storage } = setupDrafts();
    const form = mountForm('<input name="title">');
    store.attach(form, { key: 'login' });
    addField(form, '<input type="password" name="pw">');
    typeInto(el(form, '[name="title"]'), 'first');
    store.flush(); // reads the form: pw is a password field now
    const pw = el(form, '[name="pw"]');
    pw.type = 'text';
    pw.value = SECRET; // set by a script: no event
    typeInto(el(form, '[name="title"]'), 'second');
    store.flush();
    expect(storage.dump()).not.toContain(SECRET);
    store.destroy();
  });

  test('is not restored, even from a draft that holds its name', () => {
    const { store } = setupDrafts({ restore: 'manual' });
    const form = mountForm('<input type="password" name="pw">');
    store.attach(form, { key: 'login' });
    el(form, '[name="pw"]').type = 'text';
    store.save('login', { pw: 'forged' });
    expect(store.restore('login')).toEqual([]);
    expect(el(form, '[name="pw"]').value).toBe('');
    store.destroy();
  });
});
