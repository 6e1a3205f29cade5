import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Session } from 'sessionkeeper';
import { useFormDraft, useSession } from 'sessionkeeper/react';
import { clearSecrets, filledFields } from './lib/forms';
import { saveForm } from './lib/requests';
import { draftsOf } from './lib/settings';
import { OrderFields } from './OrderFields';

const KEY = 'order';

type SaveState =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved'; sub: string; length: number }
  | { state: 'failed'; message: string };

/** The names of the fields in `session`'s stored draft of the form, kept up to date. */
function useStoredFields(session: Session): [string[], () => void] {
  const [fields, setFields] = useState<string[]>([]);
  const read = useCallback(() => {
    setFields(filledFields(draftsOf(session).load(KEY)));
  }, [session]);
  useEffect(() => {
    read();
    const types = ['draft-saved', 'draft-restored', 'login', 'logout', 'expired'] as const;
    const offs = types.map((type) => session.on(type, read));
    return () => {
      for (const off of offs) off();
    };
  }, [session, read]);
  return [fields, read];
}

interface OrderFormProps {
  session: Session;
  onSubmit(form: HTMLFormElement, discard: () => void): void;
}

/** The form itself: remounted (emptied) when a different user signs in or the user signs out. */
function OrderForm({ session, onSubmit }: OrderFormProps) {
  const { ref, restored, discard } = useFormDraft(KEY);
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const [storedFields, reread] = useStoredFields(session);
  const attach = useCallback(
    (element: HTMLFormElement | null) => {
      ref(element);
      setForm(element);
    },
    [ref],
  );
  useEffect(
    () => (form ? session.on('expired', () => clearSecrets(form)) : undefined),
    [session, form],
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit(event.currentTarget, () => {
      discard();
      reread();
    });
  };

  return (
    <form ref={attach} className="order" data-testid="order-form" onSubmit={submit}>
      {restored ? (
        <p className="banner" data-testid="draft-restored" role="status">
          Restored your unsaved changes.
        </p>
      ) : null}
      <OrderFields />
      <p className="muted" data-testid="draft-fields" data-fields={storedFields.join(',')}>
        In the stored draft: {storedFields.length ? storedFields.join(', ') : 'nothing'}
      </p>
      <div className="row">
        <button type="submit" className="primary" data-testid="save">
          Save order
        </button>
      </div>
    </form>
  );
}

/**
 * A form kept as a draft, with a save that survives a forced re-login: the POST is held while
 * the session is expired and sent once the same user is back. The draft is discarded only when
 * the server accepted the save.
 */
export function OrderCard() {
  const { session, status, user } = useSession();
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  // A different user (or nobody, after a sign-out) gets a fresh, empty form.
  const userId = user?.id ?? null;
  const [owner, setOwner] = useState({ userId, generation: 0 });
  if (owner.userId !== userId) {
    setOwner({ userId, generation: owner.generation + (owner.userId === null ? 0 : 1) });
  }

  const submit = (form: HTMLFormElement, discard: () => void) => {
    setSave({ state: 'saving' });
    saveForm(session, form).then(
      (result) => {
        if (result.sub === session.getSnapshot().user?.id) discard();
        setSave({ state: 'saved', sub: result.sub, length: result.length });
      },
      (error: unknown) =>
        setSave({
          state: 'failed',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  };

  const held = save.state === 'saving' && status === 'expired';
  return (
    <section className="card" aria-labelledby="order-title">
      <h2 id="order-title">Order form (kept as a draft)</h2>
      <OrderForm key={owner.generation} session={session} onSubmit={submit} />
      <p data-testid="save-status" data-state={held ? 'held' : save.state}>
        {save.state === 'saving' && (held ? 'Save waits until you sign in again…' : 'Saving…')}
        {save.state === 'saved' && (
          <span className="ok">
            Saved: the server received {save.length} bytes from {save.sub}. Draft discarded.
          </span>
        )}
        {save.state === 'failed' && <span className="bad">Not saved: {save.message}</span>}
      </p>
    </section>
  );
}
