import { useCallback, useRef, useState } from 'react';
import type { DraftStore } from 'sessionkeeper';
import { useSessionModule } from './context';

/**
 * The form's own options of `useFormDraft(key, options)`, as for the drafts' `attach()`:
 * `anonymous` (a public form: a draft only while nobody is signed in; default `false`), and
 * `exclude` and `ttlMs` (in ms), which replace the store's for this form.
 */
export type FormDraftOptions = Omit<Parameters<DraftStore['attach']>[1], 'key'>;

type ExcludeOption = FormDraftOptions['exclude'];

/** `useFormDraft(key)`: a ref for the `<form>`, whether a draft was restored, and `discard()`. */
export interface FormDraft {
  /** Put it on the `<form>`: attaches the form to the session's drafts. Stable per key, options. */
  readonly ref: (form: HTMLFormElement | null) => void;
  /** `true` once a stored draft filled fields of this form (a `draft-restored` event for `key`). */
  readonly restored: boolean;
  /** Remove the draft: call it when the server accepted the submit. Resets `restored`. */
  discard(): void;
}

interface Attachment {
  form: HTMLFormElement;
  /** The `ref` callback that attached it: a new one means a new key, store or option. */
  madeBy: (form: HTMLFormElement | null) => void;
  release(): void;
  /** Detach at the next microtask unless the same form comes back first. */
  leaving: boolean;
}

/**
 * Keep what the user types into a form as a draft under `key`, restored (filled in) when the
 * same user is signed in and the form is attached: after a reload, or after an expired session
 * was signed in again. Attaching another form or key detaches the previous one; unmounting
 * saves what is pending and detaches. Under StrictMode the form is attached once: a detach
 * followed at once by a re-attach of the same form is no detach.
 * @param options the form's own (see {@link FormDraftOptions}). A change of `anonymous`, `ttlMs`
 *   or a selector `exclude` attaches the form again; an `exclude` predicate may be a new function
 *   at every render (the latest one is used).
 * @throws Error when no `<SessionProvider>` is above the component, or its session has no
 *   `drafts` module.
 * @example
 * const { ref, restored, discard } = useFormDraft('contact', { anonymous: true });
 * <form ref={ref} onSubmit={async (e) => { e.preventDefault(); await send(e.currentTarget); discard(); }}>
 */
export function useFormDraft(key: string, options: FormDraftOptions = {}): FormDraft {
  const [, drafts] = useSessionModule('useFormDraft', 'drafts');
  const [restored, setRestored] = useState(false);
  const current = useRef<Attachment | null>(null);
  const { anonymous = false, ttlMs, exclude } = options;
  // A predicate is called through this ref: an inline one is a new function at every render,
  // which is no reason to attach the form again.
  const latestExclude = useRef<ExcludeOption>(exclude);
  latestExclude.current = exclude;
  const selector = typeof exclude === 'function' ? null : exclude;

  const ref = useCallback(
    (form: HTMLFormElement | null) => {
      const was = current.current;
      if (!form) {
        if (!was) return;
        was.leaving = true;
        queueMicrotask(() => {
          if (was.leaving && current.current === was) was.release();
        });
        return;
      }
      if (was?.form === form && was.madeBy === ref) {
        was.leaving = false;
        return;
      }
      was?.release();
      setRestored(false);
      // Listen first: `attach` restores the stored draft synchronously.
      const off = drafts.on('draft-restored', (event) => {
        if (event.key === key) setRestored(true);
      });
      const predicate = (field: Element) => {
        const latest = latestExclude.current;
        return typeof latest === 'function' && latest(field);
      };
      const ownExclude = selector === null ? predicate : selector;
      const detach = drafts.attach(form, { key, anonymous, exclude: ownExclude, ttlMs });
      const attachment: Attachment = {
        form,
        madeBy: ref,
        leaving: false,
        release() {
          off();
          detach();
          if (current.current === attachment) current.current = null;
        },
      };
      current.current = attachment;
    },
    [drafts, key, anonymous, ttlMs, selector],
  );

  const discard = useCallback(() => {
    drafts.discard(key);
    setRestored(false);
  }, [drafts, key]);

  return { ref, restored, discard };
}
