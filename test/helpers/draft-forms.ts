import { createDraftStore } from '../../src/drafts/draft-store';
import type { DraftStore, DraftStoreOptions } from '../../src/drafts/types';
import { MemoryStorage } from './storage';
import { FakeWindow } from './window';

/** Put `<form>${html}</form>` into the document and return the form. */
export function mountForm(html: string): HTMLFormElement {
  const host = document.createElement('div');
  host.innerHTML = `<form>${html}</form>`;
  document.body.append(host);
  return host.querySelector('form') as HTMLFormElement;
}

/** The element of `form` that `selector` names; fails the test when there is none. */
export function el<T extends Element = HTMLInputElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<Element>(selector);
  if (!found) throw new Error(`No element matches ${selector}`);
  return found as T;
}

/** What a user typing does: the value changes and `input` bubbles. */
export function typeInto(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** What a user choosing options does: the selection changes and `change` bubbles. */
export function choose(select: HTMLSelectElement, ...values: string[]): void {
  for (const option of Array.from(select.options)) option.selected = values.includes(option.value);
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** A window for the env whose listeners can be counted (see {@link FakeWindow}). */
export const createPageWindow = () => new FakeWindow();

export interface DraftSetup {
  store: DraftStore;
  storage: MemoryStorage;
  page: ReturnType<typeof createPageWindow>;
}

/** A store for 'alice' over a MemoryStorage and a countable window; `options` override. */
export function setupDrafts(options: DraftStoreOptions = {}, storage = new MemoryStorage()) {
  const page = createPageWindow();
  const store = createDraftStore({
    scope: 'alice',
    ...options,
    env: { localStorage: storage, window: page.window, ...options.env },
  });
  return { store, storage, page } satisfies DraftSetup;
}

/**
 * The storage key of `user`'s draft of `key` under the default name; `null`: the anonymous draft
 * (`@anonymous`, which no encoded user id can be).
 */
export function draftKey(user: string | null, key: string): string {
  const owner = user === null ? '@anonymous' : encodeURIComponent(user);
  return `sessionkeeper:draft:${owner}:${encodeURIComponent(key)}`;
}

/** The stored entry of `key` for `user` (`null`: anonymous) under the default name, parsed. */
export function storedEntry(storage: MemoryStorage, user: string | null, key: string): unknown {
  const raw = storage.map.get(draftKey(user, key));
  return raw === undefined ? undefined : JSON.parse(raw);
}

/**
 * A MemoryStorage holding `user`'s draft of `key` (`null`: the anonymous draft), saved now,
 * under the default name.
 */
export function storageWithDraft(
  fields: object,
  user: string | null = 'alice',
  key = 'post',
  storage = new MemoryStorage(),
): MemoryStorage {
  storage.setItem(draftKey(user, key), JSON.stringify({ v: 1, savedAt: Date.now(), fields }));
  return storage;
}

/** Append `html` (in a wrapper div) to `form`, as a late-rendered section. */
export function addField(form: HTMLFormElement, html: string): void {
  const wrapper = document.createElement('div');
  wrapper.innerHTML = html;
  form.append(wrapper);
}

/** The stored fields of `key` for `user` (`null`: anonymous) under the default name, if any. */
export function storedFields(storage: MemoryStorage, user: string | null, key: string): unknown {
  return (storedEntry(storage, user, key) as { fields?: unknown } | undefined)?.fields;
}
