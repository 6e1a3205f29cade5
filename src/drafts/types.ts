import type { Env } from '../env';
import type { SessionError } from '../errors';
import type { DraftOptions } from '../types';

/**
 * The values of one draft: field name → value. For a form: a string for a text-like field,
 * textarea or single select; `string[]` for a multiple select, a group of checkboxes (the checked
 * values) or a name repeated on several fields (in document order); `boolean` for a lone
 * checkbox; the checked value or `null` for a radio group. For `save()`: any JSON object.
 */
export type DraftValues = Record<string, unknown>;

/** Options of {@link createDraftStore}; the session passes its `drafts` option plus `name`. */
export interface DraftStoreOptions extends DraftOptions {
  /**
   * The signed-in user id. `null` = nobody known: nothing is saved to or restored from storage.
   * The session sets it with `setScope()` on login and logout.
   * @default null
   */
  scope?: string | null;
  /**
   * Namespaces every storage key (`<name>:draft:<userId>:<key>`, both URI-encoded), so two
   * sessions on one origin never mix. The session passes its `crossTab` name.
   * @default 'sessionkeeper'
   */
  name?: string;
  /** The environment (clock, timers, storage, window), for tests. */
  env?: Env;
}

/** Events of a draft store; the session forwards them as its own events. */
export interface DraftStoreEventMap {
  /** A draft reached storage. */
  'draft-saved': { key: string };
  /**
   * Fields of an attached form were filled from a stored draft (`fields`: their names). Fires
   * again for fields that appear later. Use it to show "Restored your unsaved changes — Discard".
   */
  'draft-restored': { key: string; fields: string[] };
  /** Storage failed (`code: 'STORAGE_UNAVAILABLE'`); the form keeps working. */
  error: { error: SessionError; source: 'drafts' };
}

export type DraftStoreEventType = keyof DraftStoreEventMap;

/** Keeps what the user typed into forms, per user and form key, in Web Storage. */
export interface DraftStore {
  /**
   * Save `form` as the user types (debounced) under `key`, and restore its stored draft now when
   * a user is in scope and `restore` is `'auto'` (fields added later are restored too, until the
   * user edits them). Attaching another form under the same key detaches the first.
   * @returns detach: saves what is pending, then stops watching the form.
   */
  attach(form: HTMLFormElement, options: { key: string }): () => void;
  /**
   * Apply the stored draft to the form attached under `key` now (all fields, edited or not).
   * @returns the names of the fields whose value changed.
   */
  restore(key: string): string[];
  /**
   * Save `values` (a JSON-serialisable object, e.g. controlled React state) under `key`,
   * debounced like typing; `flush()` writes at once. Nothing is saved while the scope is `null`.
   * @throws TypeError when `values` is not a JSON-serialisable object (a programming error).
   */
  save(key: string, values: DraftValues): void;
  /** The current user's draft for `key` (the pending one if newer than storage), or `null`. */
  load(key: string): DraftValues | null;
  /**
   * Remove the draft of `key` and any pending save of it. Call it when the server accepted the
   * submit, never on the submit event itself. The form's current values are left alone.
   */
  discard(key: string): void;
  /** Write every pending (debounced or failed) save now. */
  flush(): void;
  /**
   * Remove `userId`'s drafts (and pending saves); without an argument, every draft under this
   * `name`. Finding drafts not seen by this page needs `keys()` (or Web Storage's `length`/`key`).
   */
  purge(userId?: string): void;
  /**
   * Set the signed-in user (`null`: nobody). A different user purges every other user's drafts
   * (unless `keepOtherUsers`) and, with `restore: 'auto'`, restores every attached form (fields
   * the user already edited are left alone). Pending saves of the previous user are written
   * first when the scope becomes `null` or other users' drafts are kept.
   */
  setScope(userId: string | null): void;
  getScope(): string | null;
  /** Listen to an event; returns the remover. */
  on<K extends DraftStoreEventType>(
    type: K,
    handler: (event: DraftStoreEventMap[K]) => void,
  ): () => void;
  /** Flush, detach every form, and remove every listener, observer and timer. */
  destroy(): void;
}
