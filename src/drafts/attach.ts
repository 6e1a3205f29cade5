import type { RuntimeEnv } from '../env';
import { type ExcludeOption, isDraftable } from './field-filter';
import { applyGroup, collectFields, readFields } from './form-fields';
import type { DraftValues } from './types';

/** One form watched by the draft store. */
export interface AttachedForm {
  /**
   * The form's values, plus the restored values of fields that have not appeared yet (so a save
   * made before a late field renders does not lose its draft).
   */
  read(): DraftValues;
  /**
   * Fill the form from `values`; names not in the form yet are restored when they appear.
   * `skipEdited`: leave alone the names the user changed that are not in storage yet.
   * @returns the names whose fields changed (also reported through `onRestore`).
   */
  apply(values: DraftValues, skipEdited: boolean): string[];
  /**
   * Stop protecting the edits made so far from a restore: they reached storage (they are part
   * of the draft), or they were another user's.
   */
  forgetEdits(): void;
  /** Forget the values waiting for late fields (discarded draft, scope change). */
  clearAwaiting(): void;
  /** Remove the listeners and the observer. */
  detach(): void;
}

// Capture phase: a field's handler calling stopPropagation() cannot hide the change from us.
const CAPTURE = { capture: true } as const;
const EVENTS = ['input', 'change'] as const;

/**
 * Watch `form`: `input`/`change` events are delegated to the form (fields added later included)
 * and reported through `onEdit`; a MutationObserver (of the form's own window, else the env's)
 * runs only while restored values wait for fields that are not in the form yet. A late field the
 * user edited is never overwritten, nor (with `skipEdited`) is a name whose edits were not saved,
 * e.g. typed while nobody was signed in.
 * @param onEdit the user changed a draftable field.
 * @param onRestore fields were filled from the draft (by `apply()`, or late fields when they
 * appeared).
 * @throws SyntaxError now (at attach), rather than on every keystroke, for a bad `exclude` selector.
 */
export function attachForm(
  form: HTMLFormElement,
  exclude: ExcludeOption | undefined,
  env: RuntimeEnv,
  onEdit: () => void,
  onRestore: (fields: string[]) => void,
): AttachedForm {
  if (typeof exclude === 'string') form.matches(exclude);
  // Names changed by the user since the form's values last reached storage.
  const edited = new Set<string>();
  const awaiting = new Map<string, unknown>();
  let applying = false;
  let observer: MutationObserver | undefined;

  const onEvent = (event: Event) => {
    // Our own restore dispatches input/change too: that is not the user editing.
    if (applying) return;
    // Input events on the form come from the form or an element in it.
    const target = event.target as Element;
    if (!isDraftable(target, form, exclude)) return;
    edited.add(target.name);
    awaiting.delete(target.name);
    onEdit();
  };

  function fill(entries: Iterable<[string, unknown]>, skipEdited: boolean): string[] {
    const groups = collectFields(form, exclude);
    const changed: string[] = [];
    applying = true;
    try {
      for (const [name, value] of entries) {
        // Deleted first: a name still without fields goes back in (order kept, as every
        // waiting name passes through here in order).
        awaiting.delete(name);
        if (skipEdited && edited.has(name)) continue;
        const fields = groups.get(name);
        if (!fields) awaiting.set(name, value);
        else if (applyGroup(fields, value)) changed.push(name);
      }
    } finally {
      applying = false;
    }
    syncObserver();
    if (changed.length > 0) onRestore(changed);
    return changed;
  }

  function onMutations(records: MutationRecord[]) {
    if (records.some((record) => record.addedNodes.length > 0)) fill([...awaiting], true);
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

  for (const type of EVENTS) form.addEventListener(type, onEvent, CAPTURE);

  return {
    read: () => ({ ...Object.fromEntries(awaiting), ...readFields(form, exclude) }),
    apply(values, skipEdited) {
      awaiting.clear();
      return fill(Object.entries(values), skipEdited);
    },
    forgetEdits() {
      edited.clear();
    },
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
