import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { el, mountForm, setupDrafts, storedFields, typeInto } from '../helpers/draft-forms';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

const FORM = `
  <input name="title"><input type="checkbox" name="agree">
  <button type="reset">Clear</button>`;

/** Alice (signed in) filled the `post` form and the draft was saved. */
async function filledForm() {
  const setup = setupDrafts();
  const form = mountForm(FORM);
  const detach = setup.store.attach(form, { key: 'post' });
  typeInto(el(form, '[name="title"]'), 'old title');
  el(form, '[name="agree"]').click();
  await vi.advanceTimersByTimeAsync(300);
  expect(storedFields(setup.storage, 'alice', 'post')).toEqual({ title: 'old title', agree: true });
  return { ...setup, form, detach };
}

const clickReset = (form: HTMLFormElement) => el<HTMLButtonElement>(form, '[type="reset"]').click();

describe('a form reset', () => {
  test('by the signed-in user is saved: a re-login does not bring the old values back', async () => {
    const { store, storage, form } = await filledForm();
    clickReset(form);
    await vi.advanceTimersByTimeAsync(300);
    expect(storedFields(storage, 'alice', 'post')).toEqual({ title: '', agree: false });
    store.setScope('alice', { signedIn: false });
    store.setScope('alice');
    expect(el(form, '[name="title"]').value).toBe('');
    expect(el(form, '[name="agree"]').checked).toBe(false);
    store.destroy();
  });

  test('by the signed-in user is saved: navigating away and back does not bring the old values back', async () => {
    const { store, form, detach } = await filledForm();
    clickReset(form);
    detach(); // leaving the page at once writes the reset
    form.remove();
    const again = mountForm(FORM);
    store.attach(again, { key: 'post' });
    expect(el(again, '[name="title"]').value).toBe('');
    expect(el(again, '[name="agree"]').checked).toBe(false);
    store.destroy();
  });

  test('while the session was forced to end is no edit: the draft comes back at the re-login', async () => {
    const { store, storage, form } = await filledForm();
    store.setScope('alice', { signedIn: false });
    form.reset(); // the app cleared the form
    store.setScope('alice');
    expect(el(form, '[name="title"]').value).toBe('old title');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(storedFields(storage, 'alice', 'post')).toEqual({ title: 'old title', agree: true });
    store.destroy();
  });

  test('while nobody is signed in is no edit: the draft comes back at the sign-in', async () => {
    const { store, form } = await filledForm();
    store.setScope(null);
    form.reset();
    store.setScope('alice');
    expect(el(form, '[name="title"]').value).toBe('old title');
    expect(el(form, '[name="agree"]').checked).toBe(true);
    store.destroy();
  });
});
