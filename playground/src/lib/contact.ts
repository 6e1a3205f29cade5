import type { Session } from 'sessionkeeper';

/** The contact form's draft key. */
export const CONTACT_KEY = 'contact';

/** What the server says it received. */
export interface ContactReceipt {
  email: string | null;
  /** Characters of the message. */
  length: number;
}

/**
 * Send the contact form to the public `POST /api/contact`, with `skipAuth`: nobody need be
 * signed in, and no token is sent.
 */
export async function sendContact(
  session: Session,
  form: HTMLFormElement,
): Promise<ContactReceipt> {
  const data = new FormData(form);
  const json = {
    email: String(data.get('email') ?? ''),
    message: String(data.get('message') ?? ''),
  };
  const { received } = await session.http
    .post('contact', { json, context: { skipAuth: true } })
    .json<{ received: ContactReceipt }>();
  return received;
}

/** The contact card's line under the form, by state. */
export const CONTACT_LINES = {
  idle: '',
  restored: 'Restored what you typed before.',
  sending: 'Sending…',
  failed: 'Not sent: ',
  sent: (length: number) => `Sent (${length} characters). Draft discarded.`,
} as const;

/** What the contact card explains. */
export const CONTACT_EXPLAINED =
  'A public form, attached with anonymous: true: your message is kept while nobody is signed in, also across a reload. Signing in removes it, and it is never shown to a signed-in user.';

/** Why the email is not kept (the field is marked `data-draft="off"`). */
export const CONTACT_EMAIL_NOT_KEPT =
  'An anonymous draft is there for whoever uses this browser signed out: nothing personal goes into it.';
