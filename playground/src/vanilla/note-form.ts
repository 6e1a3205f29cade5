import type { Session } from 'sessionkeeper';
import { clearSecrets, filledFields } from '../lib/forms';
import { saveForm } from '../lib/requests';
import { draftsOf } from '../lib/settings';
import { byTestId } from './dom';

const DRAFT_KEY = 'note';

/** "In the stored draft: subject, message". */
function showStoredDraft(session: Session): void {
  const fields = filledFields(draftsOf(session).load(DRAFT_KEY));
  const line = byTestId('draft-fields');
  line.dataset.fields = fields.join(',');
  line.textContent = `In the stored draft: ${fields.length ? fields.join(', ') : 'nothing'}`;
}

/**
 * The note: a draft per user, a save held while the session is expired, and the draft discarded
 * only once the server has the note.
 */
export function setupNoteForm(session: Session): void {
  const form = byTestId<HTMLFormElement>('order-form');
  draftsOf(session).attach(form, { key: DRAFT_KEY });
  for (const type of ['draft-saved', 'draft-restored', 'login', 'logout', 'expired'] as const) {
    session.on(type, () => showStoredDraft(session));
  }
  showStoredDraft(session);

  let formOwner = session.getSnapshot().user?.id ?? null;
  session.on('expired', () => clearSecrets(form));
  session.on('logout', () => {
    form.reset();
    formOwner = null;
  });
  session.on('login', ({ user }) => {
    // Somebody else: nothing of the previous user stays on screen; then their own draft, if any.
    if (formOwner !== null && formOwner !== user.id) {
      form.reset();
      draftsOf(session).restore(DRAFT_KEY);
    }
    formOwner = user.id;
  });

  const status = byTestId('save-status');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    status.dataset.state = 'saving';
    status.textContent = 'Saving… (held while the session is expired)';
    saveForm(session, form).then(
      (result) => {
        if (result.sub === session.getSnapshot().user?.id) draftsOf(session).discard(DRAFT_KEY);
        showStoredDraft(session);
        status.dataset.state = 'saved';
        status.textContent = `Saved: the server received ${result.length} bytes from ${result.sub}.`;
      },
      (error: unknown) => {
        status.dataset.state = 'failed';
        status.textContent = `Not saved: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  });
}
