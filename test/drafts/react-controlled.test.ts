import { act, createElement as h, useCallback, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { DraftStore } from '../../src/drafts/types';
import { el, mountForm, setupDrafts, storageWithDraft, storedEntry } from '../helpers/draft-forms';
import { MemoryStorage } from '../helpers/storage';

const DRAFT = { title: 'Restored title', agree: true, size: 'l', plan: 'pro', tags: ['a', 'c'] };

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('plain DOM', () => {
  test('values are set through the prototype setter, and an input listener sees them', () => {
    const setter = vi.spyOn(HTMLInputElement.prototype, 'value', 'set');
    const { store } = setupDrafts({}, storageWithDraft({ title: 'via setter' }));
    const form = mountForm('<input name="title">');
    const title = el(form, '[name="title"]');
    // What React does to a controlled input: an instance-level `value` that swallows writes.
    let tracked = '';
    Object.defineProperty(title, 'value', {
      configurable: true,
      get: () =>
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.get?.call(title),
      set: (value: string) => {
        tracked = value;
      },
    });
    const seen: string[] = [];
    form.addEventListener('input', (event) => seen.push((event.target as HTMLInputElement).value));
    store.attach(form, { key: 'post' });
    expect(setter).toHaveBeenCalledWith('via setter');
    expect(setter.mock.contexts).toContain(title);
    expect(tracked).toBe(''); // the instance setter was bypassed
    expect(seen).toEqual(['via setter']);
    store.destroy();
  });
});

interface FormState {
  title: string;
  agree: boolean;
  size: string;
  plan: string;
  tags: string[];
}

/** A fully controlled React form that attaches itself with a ref callback (as useFormDraft does). */
function ControlledForm({
  store,
  onState,
}: {
  store: DraftStore;
  onState: (s: FormState) => void;
}) {
  const [title, setTitle] = useState('');
  const [agree, setAgree] = useState(false);
  const [size, setSize] = useState('s');
  const [plan, setPlan] = useState('free');
  const [tags, setTags] = useState<string[]>([]);
  const [renders, setRenders] = useState(0);
  onState({ title, agree, size, plan, tags });
  const ref = useCallback(
    (form: HTMLFormElement | null) => (form ? store.attach(form, { key: 'post' }) : undefined),
    [store],
  );
  type Target = { target: HTMLInputElement & HTMLSelectElement };
  return h(
    'form',
    { ref },
    h('input', { name: 'title', value: title, onChange: (e: Target) => setTitle(e.target.value) }),
    h('input', {
      type: 'checkbox',
      name: 'agree',
      checked: agree,
      onChange: (e: Target) => setAgree(e.target.checked),
    }),
    h(
      'select',
      { name: 'size', value: size, onChange: (e: Target) => setSize(e.target.value) },
      ...['s', 'm', 'l'].map((v) => h('option', { key: v, value: v }, v)),
    ),
    ...['free', 'pro'].map((v) =>
      h('input', {
        key: v,
        type: 'radio',
        name: 'plan',
        value: v,
        checked: plan === v,
        onChange: () => setPlan(v),
      }),
    ),
    h(
      'select',
      {
        name: 'tags',
        multiple: true,
        value: tags,
        onChange: (e: Target) =>
          setTags(Array.from(e.target.selectedOptions).map((option) => option.value)),
      },
      ...['a', 'b', 'c'].map((v) => h('option', { key: v, value: v }, v)),
    ),
    h('button', { type: 'button', onClick: () => setRenders(renders + 1) }, `rerender ${renders}`),
  );
}

describe('React-controlled form', () => {
  let root: Root;
  let container: HTMLDivElement;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
  });

  test('a restore on attach updates React state, and survives re-renders', async () => {
    const { store } = setupDrafts({}, storageWithDraft(DRAFT));
    let state: FormState | undefined;
    const restored = vi.fn();
    store.on('draft-restored', restored);
    await act(async () => {
      root.render(h(ControlledForm, { store, onState: (s) => (state = s) }));
    });
    expect(state).toEqual(DRAFT);
    expect(restored).toHaveBeenCalledWith({
      key: 'post',
      fields: ['title', 'agree', 'size', 'plan', 'tags'],
    });

    // A re-render driven by React state keeps the restored values in the DOM.
    await act(async () => el<HTMLButtonElement>(container, 'button').click());
    expect(el(container, '[name="title"]').value).toBe('Restored title');
    expect(el(container, '[name="agree"]').checked).toBe(true);
    expect(el<HTMLSelectElement>(container, '[name="size"]').value).toBe('l');
    expect(el(container, '[name="plan"][value="pro"]').checked).toBe(true);
    const tags = Array.from(el<HTMLSelectElement>(container, '[name="tags"]').selectedOptions);
    expect(tags.map((option) => option.value)).toEqual(['a', 'c']);
    store.destroy();
  });

  test('typing in the React form is saved, and the unmount writes it at once', async () => {
    const storage = new MemoryStorage();
    const { store } = setupDrafts({}, storage);
    await act(async () => {
      root.render(h(ControlledForm, { store, onState: () => {} }));
    });
    await act(async () => {
      // React tracks the value: a user's keystroke, as testing-library's fireEvent does it.
      const title = el(container, '[name="title"]');
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(
        title,
        'typed',
      );
      title.dispatchEvent(new Event('input', { bubbles: true }));
      el(container, '[name="agree"]').click();
    });
    expect(el(container, '[name="title"]').value).toBe('typed');
    await act(async () => root.render(h('p', null, 'signed out')));
    expect(storedEntry(storage, 'alice', 'post')).toMatchObject({
      fields: { title: 'typed', agree: true, size: 's', plan: 'free', tags: [] },
    });
    store.destroy();
  });
});
