import type { Session } from 'sessionkeeper';
import { describeError } from '../lib/action-log';
import { capitalize, formatClock } from '../lib/format';
import { invalidateOnServer } from '../lib/mock-api';
import {
  describeInvalidated,
  describeOutcome,
  INVALIDATE_EXPLAINED,
  queryMe,
  REFUSED_EXPLAINED,
  type RequestOutcome,
  SENDING,
  whoAmI,
} from '../lib/refused-token';
import { byTestId } from './dom';

/**
 * The card "When the API refuses the token": invalidate the access token on the server, then a
 * GraphQL query (refreshed and replayed through `isUnauthorized`) or a "who am I" with
 * `skipRefresh` (the 401 comes straight back).
 */
export function setupRefusedToken(session: Session): void {
  byTestId('invalidate-explained').textContent = INVALIDATE_EXPLAINED;
  byTestId('refused-explained').textContent = REFUSED_EXPLAINED;
  const result = byTestId('refused-result');
  const buttons = [byTestId<HTMLButtonElement>('graphql'), byTestId<HTMLButtonElement>('whoami')];
  const show = (state: string, text: string, ok: boolean, outcome?: RequestOutcome) => {
    result.textContent = text;
    result.className = `result-line tall ${ok ? '' : 'bad'}`;
    Object.assign(result.dataset, {
      state,
      request: outcome?.request ?? '',
      ok: outcome ? String(outcome.ok) : '',
      status: String(outcome?.status ?? ''),
      refreshes: String(outcome?.refreshes ?? ''),
    });
  };

  const send = (request: RequestOutcome['request']) => {
    for (const button of buttons) button.disabled = true;
    show('sending', SENDING, true);
    void (request === 'graphql' ? queryMe(session) : whoAmI(session)).then((outcome) => {
      for (const button of buttons) button.disabled = false;
      show(
        'answered',
        `${formatClock(Date.now())} · ${describeOutcome(outcome)}`,
        outcome.ok,
        outcome,
      );
    });
  };
  buttons[0]!.addEventListener('click', () => send('graphql'));
  buttons[1]!.addEventListener('click', () => send('whoami'));

  const invalidate = byTestId<HTMLButtonElement>('invalidate');
  invalidate.addEventListener('click', () => {
    const name = session.getSnapshot().user?.id;
    if (!name) return;
    invalidateOnServer(name).then(
      (count) => {
        const text = describeInvalidated(capitalize(name), count);
        show('invalidated', `${formatClock(Date.now())} · ${text}`, true);
      },
      (error: unknown) =>
        show('invalidated', `${formatClock(Date.now())} · ${describeError(error)}`, false),
    );
  });
  const render = () => {
    const { status, user } = session.getSnapshot();
    invalidate.disabled = !(status === 'authenticated' || status === 'refreshing') || !user?.id;
  };
  session.subscribe(render);
  render();
}
