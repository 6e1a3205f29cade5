import type { Session } from 'sessionkeeper';
import {
  CONTACT_EMAIL_NOT_KEPT,
  CONTACT_EXPLAINED,
  CONTACT_KEY,
  CONTACT_LINES,
  sendContact,
} from '../lib/contact';
import { draftsOf } from '../lib/settings';
import { byTestId } from './dom';

/**
 * "Contact us": a public form whose draft is anonymous (kept while nobody is signed in, across a
 * reload too). Shown only while signed out; emptied at every sign-in, when the store purges the
 * anonymous draft, so that nothing of it is on screen when the next person signs out.
 */
export function setupContactForm(session: Session): void {
  const card = byTestId('contact-card');
  const form = byTestId<HTMLFormElement>('contact-form');
  const line = byTestId('contact-status');
  const drafts = draftsOf(session);
  byTestId('contact-explained').textContent = CONTACT_EXPLAINED;
  byTestId('contact-email-not-kept').title = CONTACT_EMAIL_NOT_KEPT;
  const say = (state: string, text: string) => {
    line.dataset.state = state;
    line.textContent = text;
    line.className = `result-line ${state === 'failed' ? 'bad' : ''}`;
  };

  drafts.on('draft-restored', ({ key }) => {
    if (key === CONTACT_KEY) say('restored', CONTACT_LINES.restored);
  });
  drafts.attach(form, { key: CONTACT_KEY, anonymous: true });
  session.on('login', () => {
    form.reset();
    say('idle', CONTACT_LINES.idle);
  });
  const render = () => {
    card.hidden = session.getSnapshot().status !== 'anonymous';
  };
  session.subscribe(render);
  render();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    say('sending', CONTACT_LINES.sending);
    sendContact(session, form).then(
      (receipt) => {
        // A reset is an edit (it would be saved as a draft): discard after it.
        form.reset();
        drafts.discard(CONTACT_KEY);
        say('sent', CONTACT_LINES.sent(receipt.length));
      },
      (error: unknown) =>
        say(
          'failed',
          `${CONTACT_LINES.failed}${error instanceof Error ? error.message : String(error)}`,
        ),
    );
  });
}
