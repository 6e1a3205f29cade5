import { type FormEvent, useState } from 'react';
import type { Session } from 'sessionkeeper';
import { useFormDraft, useSession } from 'sessionkeeper/react';
import {
  CONTACT_EMAIL_NOT_KEPT,
  CONTACT_EXPLAINED,
  CONTACT_KEY,
  CONTACT_LINES,
  sendContact,
} from './lib/contact';

type Sending =
  | { state: 'idle' | 'sending' }
  | { state: 'sent'; length: number }
  | { state: 'failed'; message: string };

/** The form: its draft is anonymous, kept only while nobody is signed in. */
function ContactForm({ session }: { session: Session }) {
  const { ref, restored, discard } = useFormDraft(CONTACT_KEY, { anonymous: true });
  const [sending, setSending] = useState<Sending>({ state: 'idle' });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setSending({ state: 'sending' });
    sendContact(session, form).then(
      (receipt) => {
        // A reset is an edit (it would be saved as a draft): discard after it.
        form.reset();
        discard();
        setSending({ state: 'sent', length: receipt.length });
      },
      (error: unknown) =>
        setSending({
          state: 'failed',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  };

  let line: string = restored ? CONTACT_LINES.restored : CONTACT_LINES.idle;
  if (sending.state === 'sending') line = CONTACT_LINES.sending;
  if (sending.state === 'sent') line = CONTACT_LINES.sent(sending.length);
  if (sending.state === 'failed') line = `${CONTACT_LINES.failed}${sending.message}`;
  return (
    <form ref={ref} className="stacked" data-testid="contact-form" onSubmit={submit}>
      <label className="field">
        <span className="field-name">
          Your email{' '}
          <span className="not-kept" title={CONTACT_EMAIL_NOT_KEPT}>
            never stored
          </span>
        </span>
        {/* data-draft="off": whoever uses this browser signed out would see it. */}
        <input
          type="email"
          name="email"
          autoComplete="email"
          data-draft="off"
          data-testid="contact-email"
        />
      </label>
      <label className="field">
        <span className="field-name">
          Message <span className="kept">kept in draft</span>
        </span>
        <textarea name="message" rows={3} required data-testid="contact-message" />
      </label>
      <div className="row">
        <button type="submit" data-testid="contact-send" disabled={sending.state === 'sending'}>
          Send
        </button>
      </div>
      <p
        className={`result-line ${sending.state === 'failed' ? 'bad' : ''}`}
        data-testid="contact-status"
        data-state={sending.state === 'idle' && restored ? 'restored' : sending.state}
      >
        {line}
      </p>
    </form>
  );
}

/** "Contact us", shown only while nobody is signed in (not while expired: the page is a user's). */
export function ContactCard() {
  const signedOut = useSession((s) => s.status === 'anonymous');
  const session = useSession((s) => s.session);
  if (!signedOut) return null;
  return (
    <section className="card" aria-labelledby="contact-title" data-testid="contact-card">
      <h2 id="contact-title">Contact us (kept while signed out)</h2>
      <p className="muted">{CONTACT_EXPLAINED}</p>
      <ContactForm session={session} />
    </section>
  );
}
