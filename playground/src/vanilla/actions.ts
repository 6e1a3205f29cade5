import { isSessionError, type Session } from 'sessionkeeper';
import {
  type ActionLog,
  createActionLog,
  describeError,
  type ShowOptions,
} from '../lib/action-log';
import { capitalize, formatClock } from '../lib/format';
import {
  BREAKS,
  breakNextRefresh,
  DEMO_USERS,
  REVOKE_EXPLAINED,
  revokeOnServer,
  signIn,
} from '../lib/mock-api';
import { BURST_EXPLAINED, burst, describeBurst } from '../lib/requests';
import { button, byTestId, inputById } from './dom';

/** Run an action; say `done` when it worked, the error when it did not. */
const runner =
  (log: ActionLog) =>
  (action: () => Promise<unknown>, done?: [string, ShowOptions?]): void => {
    action().then(
      () => (done ? log.show(...done) : log.clear()),
      (error: unknown) => log.show(describeError(error), { tone: 'bad', until: ['sign-in'] }),
    );
  };

/** "Refresh now", and what came of it (a failure is replaced once the retry succeeds). */
function refreshNow(session: Session, log: ActionLog): void {
  session.refresh().then(
    () => log.show('Refreshed.', { tone: 'ok' }),
    (error: unknown) => {
      if (isSessionError(error, 'REFRESH_REJECTED')) {
        log.show(`Refresh now was rejected (${describeError(error)}): sign in again.`, {
          tone: 'bad',
          until: ['sign-in'],
        });
      } else {
        log.show(`Refresh now failed (${describeError(error)}). The session retries by itself.`, {
          tone: 'bad',
          until: ['refreshed', 'sign-in'],
          replaceWith: 'The retry succeeded.',
        });
      }
    },
  );
}

/** The actions card: sign-in and out, refresh, forced re-login, burst, server breakage. */
export function setupActions(session: Session): ActionLog {
  const message = byTestId('action-message');
  const log = createActionLog(session, (shown) => {
    message.textContent = shown ? `${formatClock(shown.at)} · ${shown.text}` : '';
    message.dataset.tone = shown?.tone ?? '';
    message.className = `result-line tall ${shown?.tone ?? ''}`;
  });
  const run = runner(log);

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
  byTestId('refresh-now').addEventListener('click', () => refreshNow(session, log));
  byTestId('expire-now').addEventListener('click', () => session.expire());

  const result = byTestId('burst-result');
  result.textContent = describeBurst(null);
  byTestId('burst-explained').textContent = BURST_EXPLAINED;
  byTestId('burst').addEventListener('click', () => {
    const count = Math.max(1, Number(inputById('burst-count').value) || 1);
    const refusedFirst = inputById('burst-refused').checked;
    result.textContent = `sending ${count}…`;
    void burst(session, count, { refusedFirst }).then((done) => {
      result.textContent = describeBurst(done);
      result.dataset.ok = String(done.ok);
      result.dataset.ms = String(done.ms);
    });
  });

  byTestId('revoke-explained').textContent = REVOKE_EXPLAINED;
  byTestId('revoke').addEventListener('click', () => {
    const user = session.getSnapshot().user?.id;
    if (!user) return;
    run(
      () => revokeOnServer(user),
      [`Revoked ${capitalize(user)}'s session on the server.`, { until: ['sign-in'] }],
    );
  });
  document
    .getElementById('break-buttons')!
    .append(
      ...BREAKS.map(({ kind, label, effect }) =>
        button(
          label,
          `break-${kind}`,
          () =>
            run(
              () => breakNextRefresh(kind),
              [`The next refresh fails: ${label}. ${effect}`, { until: ['refresh-attempt'] }],
            ),
          'danger',
        ),
      ),
    );
  return log;
}
