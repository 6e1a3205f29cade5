import { capitalize } from '../lib/format';
import { clearSecrets, filledFields } from '../lib/forms';
import {
  type BreakKind,
  breakNextRefresh,
  DEMO_USERS,
  revokeOnServer,
  signIn,
} from '../lib/mock-api';
import { burst, saveForm } from '../lib/requests';
import { createPlaygroundSession, readIdleSettings } from '../lib/settings';
import { watchTabs } from '../lib/tabs';
import { recordTimeline } from '../lib/timeline';
import { button, byTestId } from './dom';
import { renderSession, renderTabs, renderTimeline } from './view';

/*
 * The playground without a framework: the session drives the DOM through `subscribe`, events
 * through `on`, and the form through `session.drafts.attach` — as any SPA would use it.
 */
const session = createPlaygroundSession(readIdleSettings(window.location.search));
const DRAFT_KEY = 'note';

const message = byTestId('action-message');
const run = (action: () => Promise<unknown>, done = '') => {
  message.textContent = '';
  action().then(
    () => {
      message.textContent = done;
    },
    (error: unknown) => {
      message.textContent = error instanceof Error ? error.message : String(error);
    },
  );
};

// Status, dialogs and countdowns: on every snapshot change, and every 250 ms for the clocks.
const render = () => renderSession(session);
session.subscribe(render);
session.idle?.subscribe(render);
setInterval(render, 250);
render();

recordTimeline(session, renderTimeline);
watchTabs(session, renderTabs);

// Sign in and out.
const signout = byTestId('signout');
signout.before(
  ...DEMO_USERS.map((name) =>
    button(
      `Sign in as ${capitalize(name)}`,
      `signin-${name}`,
      () => run(() => signIn(session, name)),
      'primary',
    ),
  ),
);
signout.addEventListener('click', () => run(() => session.logout()));

// The re-login dialog: the same user again (held requests go out), or somebody else.
const reloginButtons = byTestId('relogin-dialog').querySelector('#relogin-buttons')!;
const renderRelogin = () => {
  const previous = session.getSnapshot().user?.id ?? null;
  reloginButtons.replaceChildren(
    ...(previous
      ? [
          button(
            `Sign in again as ${capitalize(previous)}`,
            'relogin-same',
            () => run(() => signIn(session, previous)),
            'primary',
          ),
        ]
      : []),
    ...DEMO_USERS.filter((name) => name !== previous).map((name) =>
      button(`Sign in as ${capitalize(name)}`, `relogin-as-${name}`, () =>
        run(() => signIn(session, name)),
      ),
    ),
  );
};
session.on('expired', renderRelogin);

// Requests and server controls.
byTestId('burst').addEventListener('click', () => {
  const result = byTestId('burst-result');
  result.textContent = 'sending…';
  const count = Math.max(1, Number(byTestId<HTMLInputElement>('burst-count').value) || 1);
  void burst(session, count).then(({ ok, failed, ms }) => {
    result.textContent = `${ok} ok · ${failed} failed · ${ms} ms`;
    result.dataset.ok = String(ok);
  });
});
byTestId('revoke').addEventListener('click', () => {
  const user = session.getSnapshot().user?.id;
  if (user) run(() => revokeOnServer(user), 'Revoked on the server');
});
for (const kind of ['network', 'server', 'invalid_grant'] as BreakKind[]) {
  byTestId(`break-${kind}`).addEventListener('click', () =>
    run(() => breakNextRefresh(kind), `The next refresh fails: ${kind}`),
  );
}
byTestId('stay-signed-in').addEventListener('click', () => session.idle?.reset());

// The form: a draft per user, a save held while expired, discarded only once the server has it.
const form = byTestId<HTMLFormElement>('order-form');
session.drafts.attach(form, { key: DRAFT_KEY });
const draftFields = byTestId('draft-fields');
const showDraft = () => {
  const fields = filledFields(session.drafts.load(DRAFT_KEY));
  draftFields.dataset.fields = fields.join(',');
  draftFields.textContent = `In the stored draft: ${fields.length ? fields.join(', ') : 'nothing'}`;
};
for (const type of ['draft-saved', 'draft-restored', 'login', 'logout', 'expired'] as const) {
  session.on(type, showDraft);
}
showDraft();

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
    session.drafts.restore(DRAFT_KEY);
  }
  formOwner = user.id;
});

const saveStatus = byTestId('save-status');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  saveStatus.dataset.state = 'saving';
  saveStatus.textContent = 'Saving… (held while the session is expired)';
  saveForm(session, form).then(
    (result) => {
      if (result.sub === session.getSnapshot().user?.id) session.drafts.discard(DRAFT_KEY);
      showDraft();
      saveStatus.dataset.state = 'saved';
      saveStatus.textContent = `Saved: the server received ${result.length} bytes from ${result.sub}.`;
    },
    (error: unknown) => {
      saveStatus.dataset.state = 'failed';
      saveStatus.textContent = `Not saved: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
});
