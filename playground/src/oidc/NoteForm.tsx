import { type FormEvent, useState } from 'react';
import { isSessionError } from 'sessionkeeper';
import { useFormDraft, useSession } from 'sessionkeeper/react';

interface Sent {
  id: number;
  text: string;
  outcome: 'waiting' | 'saved' | 'failed';
  detail?: string;
}

let nextId = 1;

/**
 * A form whose submit is a POST to the API with the provider's access token. While the session
 * is expired the POST waits, and the form keeps what was typed (the page stays mounted; after a
 * redirect re-login, its draft is filled back in).
 */
export function NoteForm() {
  const session = useSession((view) => view.session);
  const { ref, restored, discard } = useFormDraft('oidc-note');
  const [sent, setSent] = useState<Sent[]>([]);
  const update = (id: number, change: Partial<Sent>) =>
    setSent((list) => list.map((item) => (item.id === id ? { ...item, ...change } : item)));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('text') ?? '');
    const id = nextId++;
    setSent((list) => [...list, { id, text, outcome: 'waiting' }]);
    session.http
      .post('notes', { json: { text } })
      .json<{ sub: string }>()
      .then(({ sub }) => update(id, { outcome: 'saved', detail: `as ${sub}` }))
      .catch((cause: unknown) =>
        update(id, {
          outcome: 'failed',
          detail: isSessionError(cause) ? cause.code : String(cause),
        }),
      );
  };

  return (
    <form ref={ref} onSubmit={submit} className="oidc-form" data-testid="note-form">
      <label>
        Title <input name="title" data-testid="note-title" autoComplete="off" />
      </label>
      <label>
        Note <textarea name="text" rows={3} data-testid="note-text" />
      </label>
      <div className="row">
        <button type="submit" data-testid="note-send">
          Send note (POST /oidc-api/notes)
        </button>
        <button type="button" onClick={discard}>
          Discard draft
        </button>
        {restored ? <span className="badge">draft restored</span> : null}
      </div>
      <ul data-testid="note-results">
        {sent.map((item) => (
          <li key={item.id} data-outcome={item.outcome}>
            “{item.text}”: {item.outcome} {item.detail ?? ''}
          </li>
        ))}
      </ul>
    </form>
  );
}
