import { useCallback, useRef, useState } from 'react';
import type { DraftStore } from 'sessionkeeper';
import { useSessionModule } from './context';

/** `useFormDraft(key)`: a ref for the `<form>`, whether a draft was restored, and `discard()`. */
export interface FormDraft {
  /** Put it on the `<form>`: attaches the form to the session's drafts. Stable per `key`. */
  readonly ref: (form: HTMLFormElement | null) => void;
  /** `true` once a stored draft filled fields of this form (a `draft-restored` event for `key`). */
  readonly restored: boolean;
  /** Remove the draft: call it when the server accepted the submit. Resets `restored`. */
  discard(): void;
}

interface Attachment {
  form: HTMLFormElement;
  key: string;
  drafts: DraftStore;
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
 * @throws Error when no `<SessionProvider>` is above the component, or its session has no
 *   `drafts` module.
 * @example
 * const { ref, restored, discard } = useFormDraft('contact');
 * <form ref={ref} onSubmit={async (e) => { e.preventDefault(); await send(e.currentTarget); discard(); }}>
 */
export function useFormDraft(key: string): FormDraft {
  const [, drafts] = useSessionModule('useFormDraft', 'drafts');
  const [restored, setRestored] = useState(false);
  const current = useRef<Attachment | null>(null);

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
      if (was?.form === form && was.key === key && was.drafts === drafts) {
        was.leaving = false;
        return;
      }
      was?.release();
      setRestored(false);
      // Listen first: `attach` restores the stored draft synchronously.
      const off = drafts.on('draft-restored', (event) => {
        if (event.key === key) setRestored(true);
      });
      const detach = drafts.attach(form, { key });
      const attachment: Attachment = {
        form,
        key,
        drafts,
        leaving: false,
        release() {
          off();
          detach();
          if (current.current === attachment) current.current = null;
        },
      };
      current.current = attachment;
    },
    [drafts, key],
  );

  const discard = useCallback(() => {
    drafts.discard(key);
    setRestored(false);
  }, [drafts, key]);

  return { ref, restored, discard };
}
