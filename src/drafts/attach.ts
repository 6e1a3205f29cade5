import type { RuntimeEnv } from '../env';
import { checkExclude, type ExcludeOption, isDraftable } from './field-filter';
import { applyGroup, collectFields, readFields } from './form-fields';
import type { DraftValues } from './types';

/** One form watched by the draft store. */
export interface AttachedForm {
  readonly key: string;
  readonly form: HTMLFormElement;
  /**
   * The form's values, plus the restored values of fields that have not appeared yet (so a save
   * made before a late field renders does not lose its draft).
   */
  read(): DraftValues;
  /**
   * Fill the form from `values`; names not in the form yet are restored when they appear.
   * `skipEdited`: leave alone the names the user changed that are not in storage yet.
   * @returns the names whose fields changed.
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

export interface AttachHooks {
  exclude: ExcludeOption | undefined;
  env: RuntimeEnv;
  /** The user changed a draftable field. */
  onEdit(): void;
  /** Late fields were filled from the draft. */
  onLateRestore(fields: string[]): void;
}

type ObserverCtor = new (callback: MutationCallback) => MutationObserver;

// Capture phase: a field's handler calling stopPropagation() cannot hide the change from us.
const CAPTURE = { capture: true } as const;
const EVENTS = ['input', 'change'] as const;

function observerCtor(form: Element, env: RuntimeEnv): ObserverCtor | undefined {
  const view = form.ownerDocument.defaultView ?? env.window();
  return (view as { MutationObserver?: ObserverCtor } | null)?.MutationObserver;
}

/**
 * Watch `form`: `input`/`change` events are delegated to the form (fields added later included)
 * and reported through `onEdit`; a MutationObserver (of the form's own window, else the env's)
 * runs only while restored values wait for fields that are not in the form yet. A late field the
 * user edited is never overwritten, nor (with `skipEdited`) is a name whose edits were not saved,
 * e.g. typed while nobody was signed in.
 */
export function attachForm(form: HTMLFormElement, key: string, hooks: AttachHooks): AttachedForm {
  const { exclude } = hooks;
  checkExclude(exclude, form);
  // Names changed by the user since the form's values last reached storage.
  const edited = new Set<string>();
  const awaiting = new Map<string, unknown>();
  let applying = false;
  let observer: MutationObserver | undefined;

  const onEvent = (event: Event) => {
    // Our own restore dispatches input/change too: that is not the user editing.
    if (applying) return;
    const target = event.target as Element | null;
    if (!target || !isDraftable(target, form, exclude)) return;
    edited.add(target.name);
    awaiting.delete(target.name);
    hooks.onEdit();
  };

  function fill(entries: Iterable<[string, unknown]>, skipEdited: boolean): string[] {
    const groups = collectFields(form, exclude);
    const changed: string[] = [];
    applying = true;
    try {
      for (const [name, value] of entries) {
        if (skipEdited && edited.has(name)) {
          awaiting.delete(name);
          continue;
        }
        const fields = groups.get(name);
        if (!fields) {
          awaiting.set(name, value);
          continue;
        }
        awaiting.delete(name);
        if (applyGroup(fields, value)) changed.push(name);
      }
    } finally {
      applying = false;
    }
    syncObserver();
    return changed;
  }

  function onMutations(records: MutationRecord[]) {
    if (!records.some((record) => record.addedNodes.length > 0)) return;
    const restored = fill([...awaiting], true);
    if (restored.length > 0) hooks.onLateRestore(restored);
  }

  function syncObserver() {
    if (awaiting.size > 0 && !observer) {
      const Ctor = observerCtor(form, hooks.env);
      observer = Ctor ? new Ctor(onMutations) : undefined;
      observer?.observe(form, { childList: true, subtree: true });
    } else if (awaiting.size === 0 && observer) {
      observer.disconnect();
      observer = undefined;
    }
  }

  for (const type of EVENTS) form.addEventListener(type, onEvent, CAPTURE);

  return {
    key,
    form,
    read() {
      const values = readFields(form, exclude);
      const late = [...awaiting].filter(([name]) => !Object.hasOwn(values, name));
      return late.length === 0 ? values : { ...Object.fromEntries(late), ...values };
    },
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
