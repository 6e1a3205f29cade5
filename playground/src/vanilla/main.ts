import { readClock, subscribeClock } from '../lib/clock';
import { capitalize } from '../lib/format';
import { type LastError, trackLastError } from '../lib/last-error';
import { DEMO_USERS, signIn } from '../lib/mock-api';
import { createPlaygroundSession, readIdleSettings, readLifetimeSettings } from '../lib/settings';
import { watchTabs } from '../lib/tabs';
import { markPageLoad, recordTimeline } from '../lib/timeline';
import { setupActions } from './actions';
import { setupContactForm } from './contact-form';
import { button, byTestId } from './dom';
import { setupIdlePause } from './idle-pause';
import { renderTabs, renderTimeline } from './lists';
import { setupNoteForm } from './note-form';
import { setupRefusedToken } from './refused-token';
import { setupServerPanel } from './server-panel';
import { setupSettingsForms } from './settings-forms';
import { renderSession } from './view';

/*
 * The playground without a framework: the session drives the DOM through `subscribe`, events
 * through `on`, and the form through `session.drafts.attach` — as any SPA would use it.
 */
markPageLoad();
const idle = readIdleSettings(window.location.search);
const lifetime = readLifetimeSettings(window.location.search);
const session = createPlaygroundSession(idle, lifetime);

// Status, banner and dialogs: on every snapshot change, and on every tick of the page's clock.
let lastError: LastError | null = null;
const render = () => renderSession(session, readClock(), lastError);
trackLastError(session, (tracked) => {
  lastError = tracked;
  render();
});
session.subscribe(render);
session.idle?.subscribe(render);
subscribeClock(render);
render();

recordTimeline(session, renderTimeline);
watchTabs(session, renderTabs);
const log = setupActions(session);
setupSettingsForms(idle, lifetime);
setupServerPanel();
setupNoteForm(session);
setupContactForm(session);
setupRefusedToken(session);
setupIdlePause(session);

// The dialogs' own buttons.
byTestId('stay-signed-in').addEventListener('click', () => session.idle?.reset());
byTestId('idle-signout').addEventListener('click', () => void session.logout());

/** The re-login dialog: the same user again (held requests go out), somebody else, or nobody. */
const signInFromDialog = (name: string) =>
  signIn(session, name).catch((error: unknown) => log.show(String(error), { tone: 'bad' }));
let reloginFor: string | null | undefined;
const renderRelogin = () => {
  const previous = session.getSnapshot().user?.id ?? null;
  if (previous === reloginFor) return;
  reloginFor = previous;
  document
    .getElementById('relogin-same')!
    .replaceChildren(
      ...(previous
        ? [
            button(
              `Sign in again as ${capitalize(previous)}`,
              'relogin-same',
              () => void signInFromDialog(previous),
              'primary',
            ),
          ]
        : []),
    );
  document.getElementById('relogin-buttons')!.replaceChildren(
    ...DEMO_USERS.filter((name) => name !== previous).map((name) =>
      button(`Sign in as ${capitalize(name)}`, `relogin-as-${name}`, () => {
        void signInFromDialog(name);
      }),
    ),
    button('Sign out', 'relogin-signout', () => void session.logout()),
  );
};
session.subscribe(renderRelogin);
renderRelogin();
