import type { Env, StorageLike } from '../lib/env';
import type { SessionError } from '../lib/errors';

/**
 * The values of one draft: field name → value. For a form: a string for a text-like field,
 * textarea or single select; `string[]` for a multiple select, a group of checkboxes (the checked
 * values) or a name repeated on several fields (in document order); `boolean` for a lone
 * checkbox; the checked value or `null` for a radio group. For `save()`: any JSON object.
 */
export type DraftValues = Record<string, unknown>;

/** Options of {@link createDraftStore}. */
export interface DraftStoreOptions {
  /** Where drafts live. @default 'local' */
  storage?: 'local' | 'session' | StorageLike;
  /**
   * How long a draft is kept, in ms; a form's own `ttlMs` replaces it.
   * @default 86_400_000 (24 h)
   */
  ttlMs?: number;
  /**
   * Fields never stored, besides passwords, files, hidden, `cc-*` and `one-time-code` fields: a
   * CSS selector (it may also match an ancestor inside the form), or a predicate that returns
   * `true` for an excluded field. A form's own `exclude` replaces it for that form.
   * @example '.secret, [name=ssn]'
   * @example (field) => field.getAttribute('name')?.startsWith('tmp-') ?? false
   */
  exclude?: string | ((field: Element) => boolean);
  /** Restore on attach (`'auto'`) or only when the app calls `restore(key)`. @default 'auto' */
  restore?: 'auto' | 'manual';
  /** Keep other users' drafts when a different user signs in. @default false */
  keepOtherUsers?: boolean;
  /**
   * Keep the anonymous drafts (of forms attached with `anonymous: true`) when someone signs in.
   * They are still never shown to a signed-in user, and come back once nobody is signed in.
   * `false`: a sign-in removes them, and what was typed into an attached anonymous form is the
   * user's from then on (never saved anonymously again).
   * @default false
   */
  keepAnonymous?: boolean;
  /** Save this long after the last change, in ms. @default 300 */
  debounceMs?: number;
  /**
   * The signed-in user id. `null` = nobody known: nothing is saved to or restored from storage.
   * A session sets it with `setScope()` on login, logout and when the session is forced to end.
   * @default null
   */
  scope?: string | null;
  /**
   * Namespaces every storage key (`<name>:draft:<userId>:<key>`, both URI-encoded; an anonymous
   * draft: `<name>:draft:@anonymous:<key>`, which no encoded user id can be), so two sessions on
   * one origin never mix.
   * @default 'sessionkeeper'; given to a session: the session's `crossTab.name`
   */
  name?: string;
  /**
   * The environment (clock, timers, storage, window), for tests.
   * @default the globals; given to a session: the session's `env`
   */
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

/** Options of {@link DraftStore.attach}: the form's key, and its own options. */
export interface DraftAttachOptions {
  /** The draft's name, e.g. `'contact'`: one draft per user and key. */
  key: string;
  /**
   * A public form (contact, sign-up): its draft belongs to the anonymous scope. It is saved and
   * restored only while nobody is signed in (scope `null`); while a user is in scope, signed in
   * or not (after a forced re-login the page is theirs), it is neither shown, returned by
   * `load()` nor saved. A sign-in removes it unless the store has `keepAnonymous`. What a
   * mounted form shows when the scope changes is left alone (the app decides what it shows). It
   * is shared by whoever uses this browser signed out: keep it for forms with nothing private.
   * @default false
   */
  anonymous?: boolean;
  /**
   * Fields of this form never stored: replaces the store's `exclude` (same shape), for this
   * form only. Passwords, files, hidden, `cc-*` and `one-time-code` fields are never stored anyway.
   * @default the store's
   */
  exclude?: DraftStoreOptions['exclude'] | undefined;
  /**
   * How long this form's draft is kept, in ms: replaces the store's `ttlMs`. It is stored with
   * the draft, so it holds wherever the draft is read or swept (also by a page that attaches the
   * form with another `ttlMs`, until the draft is saved again).
   * @default the store's
   */
  ttlMs?: number | undefined;
}

/** Options of {@link DraftStore.setScope}. */
export interface DraftScopeOptions {
  /**
   * `false`: the user's session was forced to end (or a page was reloaded while it was so). What
   * is pending is written first; then, until `setScope(userId)` signs them in again, nothing is
   * written to storage, restored into a form or returned by `load()`, and `save()` keeps nothing.
   * Edits of attached forms made meanwhile count as that user's: when they sign in again they
   * are left alone by the restore, then saved with the restored values. Ignored with `null`.
   * @default true
   */
  signedIn?: boolean;
}

/** Keeps what the user typed into forms, per user and form key, in Web Storage. */
export interface DraftStore {
  /**
   * Save `form` as the user types (debounced) under `key`, and restore its stored draft now when
   * its draft is in use and `restore` is `'auto'` (fields added later are restored too, until the
   * user edits them). A form's draft is in use while its user is signed in; with `anonymous`,
   * while nobody is signed in (see {@link DraftAttachOptions.anonymous}). A `reset` of the form
   * while its draft is in use is an edit of every field (the values after the reset are saved);
   * any other reset is not. Each field's value belongs to the user who typed it (or whose draft
   * filled it; typed while nobody was known: whoever signs in next, or the anonymous draft): a
   * draft never holds another user's values. A field ever seen as `type="password"` is never
   * stored or restored, even shown as text. Attaching another form under the same key detaches
   * the first.
   * @returns detach: saves what is pending, then stops watching the form.
   * @throws SyntaxError for an invalid `exclude` selector; RangeError for a `ttlMs` that is not
   *   a finite number of ms, 0 or more (programming errors, found at attach).
   */
  attach(form: HTMLFormElement, options: DraftAttachOptions): () => void;
  /**
   * Apply the stored draft to the form attached under `key` now (all fields, edited or not).
   * @returns the names of the fields whose value changed.
   */
  restore(key: string): string[];
  /**
   * Save `values` (a JSON-serialisable object, e.g. controlled React state) under `key`,
   * debounced like typing; `flush()` writes at once. Nothing is saved (nor kept) while the draft
   * of `key` is not in use (the scope is `null` or its user is not signed in; for a key attached
   * with `anonymous`: while a user is in scope): keep the values yourself and save them, merged
   * with `load()`, once the user signed in again (`useDraft` does).
   * @throws TypeError when `values` is not a JSON-serialisable object (a programming error).
   */
  save(key: string, values: DraftValues): void;
  /**
   * The signed-in user's draft for `key` (the pending one if newer than storage), or `null`
   * (also while the user in scope is not signed in). For a key attached with `anonymous`: the
   * anonymous draft while nobody is signed in, else `null`.
   */
  load(key: string): DraftValues | null;
  /**
   * Remove the draft of `key` (the user's in scope; for a key attached with `anonymous` while
   * nobody is signed in, the anonymous one) and any pending save of it. Call it when the server
   * accepted the submit, never on the submit event itself. The form's current values are left
   * alone.
   */
  discard(key: string): void;
  /** Write every pending (debounced or failed) save now. */
  flush(): void;
  /**
   * Remove `userId`'s drafts (and pending saves); `null`: the anonymous drafts; without an
   * argument, every draft under this `name`, anonymous ones included. Finding drafts not seen by
   * this page needs `keys()` (or Web Storage's `length`/`key`).
   */
  purge(userId?: string | null): void;
  /**
   * Set the signed-in user (`null`: nobody). A different user purges every other user's drafts
   * (unless `keepOtherUsers`) and, with `restore: 'auto'`, restores every attached form whose
   * draft is now in use (fields already edited are left alone; what was typed while signed out
   * is then saved); `null` restores the attached anonymous forms. Every sign-in (a different
   * user, or the same one after `signedIn: false`) purges the anonymous drafts unless
   * `keepAnonymous`. Pending saves of the previous scope are written first when its drafts are
   * kept (a user's when the scope becomes `null` or with `keepOtherUsers`; anonymous ones with
   * `keepAnonymous`), else dropped.
   * `setScope(userId, { signedIn: false })`: that user's session was forced to end; their drafts
   * are kept but not used until `setScope(userId)` (see {@link DraftScopeOptions.signedIn}).
   * @param options `{ signedIn }`, default `{ signedIn: true }`.
   */
  setScope(userId: string | null, options?: DraftScopeOptions): void;
  /** The user in scope (also while not signed in), or `null`. */
  getScope(): string | null;
  /** Listen to an event; returns the remover. */
  on<K extends DraftStoreEventType>(
    type: K,
    handler: (event: DraftStoreEventMap[K]) => void,
  ): () => void;
  /** Flush, detach every form, and remove every listener, observer and timer. */
  destroy(): void;
}
