import type { RuntimeEnv } from '../lib/env';
import { type DraftField, type ExcludeOption, isDraftable } from './field-filter';
import { createFieldOwners } from './field-owners';
import { applyGroup, collectFields, readGroup } from './form-fields';
import type { DraftValues } from './types';

/** A form's own options, resolved (the store's `exclude` when the form gave none). */
export interface FormOptions {
  exclude: ExcludeOption | undefined;
  /** Its draft is the anonymous one, in use only while nobody is signed in. */
  anonymous: boolean;
  /** How long its draft is kept, in ms; `undefined`: the store's TTL. */
  ttlMs: number | undefined;
}

/** What an attached form needs to know of its store, and tells it. */
export interface FormScope {
  /** Who an edit made now belongs to: the user in scope (`null`: nobody known). */
  user(): string | null;
  /** Whether the form's draft is in use now (a `reset` is an edit only then). */
  inUse(): boolean;
  /** The user changed a draftable field, or reset the form while its draft is in use. */
  onEdit(): void;
  /** Fields were filled from the draft (by `apply()`, or late fields when they appeared). */
  onRestore(fields: string[]): void;
}

/**
 * One form watched by the draft store, with its options. A `user` below is a user id, or `null`
 * for the anonymous draft (of an `anonymous` form).
 */
export interface AttachedForm extends Readonly<Omit<FormOptions, 'exclude'>> {
  /**
   * The values `user`'s draft may hold: the form's values, minus those of other users (see
   * `FieldOwners`), plus the restored values of fields that have not appeared yet (so a save
   * made before a late field renders does not lose its draft).
   */
  read(user: string | null): DraftValues;
  /**
   * Fill the form from `user`'s draft `values`; names not in the form yet are restored when they
   * appear. `skipEdited`: leave alone the names `user` (or nobody known) changed that are not in
   * storage yet.
   * @returns the names whose fields changed (also reported through `onRestore`).
   */
  apply(values: DraftValues, skipEdited: boolean, user: string | null): string[];
  /** `user` signed in: what was typed while nobody was known is theirs. */
  claim(user: string): void;
  /** Whether `user` changed fields whose values have not reached storage. */
  hasUnsavedEdits(user: string | null): boolean;
  /** The form's values reached storage: the edits so far no longer shield it from a restore. */
  forgetEdits(): void;
  /** Forget the values waiting for late fields (discarded draft, scope change). */
  clearAwaiting(): void;
  /** Remove the listeners and the observer. */
  detach(): void;
}

// Capture phase: a field's handler calling stopPropagation() cannot hide the change from us.
const CAPTURE = { capture: true } as const;
const EVENTS = ['input', 'change', 'reset'] as const;

const isPasswordField = (element: Element): element is HTMLInputElement =>
  element.localName === 'input' && (element as HTMLInputElement).type === 'password';

/**
 * Watch `form`: `input`/`change` events are delegated to the form (fields added later included)
 * and reported through `onEdit`, as is a `reset` while its draft is in use (the save reads the
 * form after the reset); a MutationObserver (of the form's own window, else the env's) runs only
 * while restored values wait for fields that are not in the form yet. A late field the user
 * edited is never overwritten, nor (with `skipEdited`) is a name whose edits were not saved,
 * e.g. typed while nobody was signed in. A name seen as `type="password"` (at attach, in an
 * event, or when the form is read) is never read, stored or restored again, even after a "show
 * password" toggle made it `type="text"`.
 * @throws SyntaxError now (at attach), rather than on every keystroke, for a bad `exclude`
 *   selector; RangeError for a `ttlMs` that is not a finite number of ms, 0 or more.
 */
export function attachForm(
  form: HTMLFormElement,
  { exclude, anonymous, ttlMs }: FormOptions,
  env: RuntimeEnv,
  scope: FormScope,
): AttachedForm {
  if (typeof exclude === 'string') form.matches(exclude);
  if (ttlMs !== undefined && !(Number.isFinite(ttlMs) && ttlMs >= 0)) {
    throw new RangeError('attach: ttlMs must be a finite number of ms, 0 or more');
  }
  const owners = createFieldOwners();
  const passwordNames = new Set<string>();
  const awaiting = new Map<string, unknown>();
  // Whose draft the awaiting values are from (set by `apply()`, the only way values wait).
  let awaitingFor: string | null = null;
  let applying = false;
  let observer: MutationObserver | undefined;

  function notePassword(element: Element): void {
    if (isPasswordField(element) && element.name) passwordNames.add(element.name);
  }

  /** The draftable fields by name, never a name that was a password field. */
  function fields(): Map<string, DraftField[]> {
    for (const input of form.querySelectorAll('input')) notePassword(input);
    const groups = collectFields(form, exclude);
    for (const name of passwordNames) groups.delete(name);
    return groups;
  }

  function onReset(): void {
    // An app clearing the form while its draft is not in use (e.g. nobody is signed in) is no
    // edit of anybody's draft.
    if (!scope.inUse()) return;
    const user = scope.user();
    for (const name of fields().keys()) owners.edited(name, user);
    awaiting.clear();
    syncObserver();
    scope.onEdit();
  }

  const onEvent = (event: Event) => {
    // Our own restore dispatches input/change too: that is not the user editing.
    if (applying) return;
    if (event.type === 'reset') {
      if (event.target === form) onReset();
      return;
    }
    // Input events on the form come from the form or an element in it.
    const target = event.target as Element;
    notePassword(target);
    if (!isDraftable(target, form, exclude) || passwordNames.has(target.name)) return;
    owners.edited(target.name, scope.user());
    awaiting.delete(target.name);
    scope.onEdit();
  };

  function fill(
    entries: Iterable<[string, unknown]>,
    skipEdited: boolean,
    user: string | null,
  ): string[] {
    const groups = fields();
    const changed: string[] = [];
    applying = true;
    try {
      for (const [name, value] of entries) {
        // Deleted first: a name still without fields goes back in (order kept, as every
        // waiting name passes through here in order).
        awaiting.delete(name);
        if (passwordNames.has(name)) continue;
        if (skipEdited && owners.isUnsavedEditOf(name, user)) continue;
        const group = groups.get(name);
        if (!group) {
          awaiting.set(name, value);
          continue;
        }
        if (applyGroup(group, value)) changed.push(name);
        // The field now holds the draft's value (unless it did not fit the field): the user's.
        if (JSON.stringify(readGroup(group)) === JSON.stringify(value)) owners.restored(name, user);
      }
    } finally {
      applying = false;
    }
    syncObserver();
    if (changed.length > 0) scope.onRestore(changed);
    return changed;
  }

  function onMutations(records: MutationRecord[]) {
    if (records.some((record) => record.addedNodes.length > 0)) {
      fill([...awaiting], true, awaitingFor);
    }
  }

  function syncObserver() {
    if (awaiting.size > 0 && !observer) {
      const view = form.ownerDocument.defaultView ?? env.window();
      const Observer = (view as { MutationObserver?: typeof MutationObserver } | null)
        ?.MutationObserver;
      observer = Observer && new Observer(onMutations);
      observer?.observe(form, { childList: true, subtree: true });
    } else if (awaiting.size === 0 && observer) {
      observer.disconnect();
      observer = undefined;
    }
  }

  fields();
  for (const type of EVENTS) form.addEventListener(type, onEvent, CAPTURE);

  return {
    anonymous,
    ttlMs,
    read(user) {
      const groups = fields();
      const values: [string, unknown][] = [...awaiting];
      for (const [name, group] of groups) values.push([name, readGroup(group)]);
      const kept = values.filter(
        ([name]) => !passwordNames.has(name) && owners.belongsTo(name, user),
      );
      // fromEntries, not assignment: a field named `__proto__` must stay an ordinary key.
      return Object.fromEntries(kept);
    },
    apply(values, skipEdited, user) {
      awaiting.clear();
      awaitingFor = user;
      return fill(Object.entries(values), skipEdited, user);
    },
    claim: owners.claim,
    hasUnsavedEdits: owners.hasUnsavedEdits,
    forgetEdits: owners.saved,
    clearAwaiting() {
      awaiting.clear();
      syncObserver();
    },
    detach() {
      for (const type of EVENTS) form.removeEventListener(type, onEvent, CAPTURE);
      awaiting.clear();
      syncObserver();
    },
  };
}
