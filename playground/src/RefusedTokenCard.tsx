import { useState } from 'react';
import { useSession } from 'sessionkeeper/react';
import { describeError } from './lib/action-log';
import { capitalize, formatClock } from './lib/format';
import { invalidateOnServer } from './lib/mock-api';
import {
  describeInvalidated,
  describeOutcome,
  INVALIDATE_EXPLAINED,
  queryMe,
  REFUSED_EXPLAINED,
  type RequestOutcome,
  SENDING,
  whoAmI,
} from './lib/refused-token';

type Shown =
  | { state: 'sending' }
  | { state: 'answered'; at: number; outcome: RequestOutcome }
  | { state: 'invalidated'; at: number; text: string; ok: boolean };

/** The line under the buttons: what the last of them did, and when. */
function lineOf(shown: Shown | null): string {
  if (!shown) return '';
  if (shown.state === 'sending') return SENDING;
  const text = shown.state === 'answered' ? describeOutcome(shown.outcome) : shown.text;
  return `${formatClock(shown.at)} · ${text}`;
}

/**
 * When the API refuses the token: invalidate it on the server, then send a GraphQL query (a
 * `UNAUTHENTICATED` answer is refreshed and replayed, thanks to `isUnauthorized`) or a
 * "who am I" with `skipRefresh` (the 401 comes straight back).
 */
export function RefusedTokenCard() {
  const session = useSession((s) => s.session);
  // Whose token can be invalidated: the signed-in user's (none while signed out or expired).
  const userId = useSession((s) =>
    s.status === 'authenticated' || s.status === 'refreshing' ? (s.user?.id ?? null) : null,
  );
  const [shown, setShown] = useState<Shown | null>(null);
  const sending = shown?.state === 'sending';

  const send = (request: RequestOutcome['request']) => {
    setShown({ state: 'sending' });
    void (request === 'graphql' ? queryMe(session) : whoAmI(session)).then((outcome) =>
      setShown({ state: 'answered', at: Date.now(), outcome }),
    );
  };
  const invalidate = (name: string) => {
    invalidateOnServer(name).then(
      (count) => {
        const text = describeInvalidated(capitalize(name), count);
        setShown({ state: 'invalidated', at: Date.now(), text, ok: true });
      },
      (error: unknown) =>
        setShown({ state: 'invalidated', at: Date.now(), text: describeError(error), ok: false }),
    );
  };

  const outcome = shown?.state === 'answered' ? shown.outcome : null;
  const failed = (outcome && !outcome.ok) || (shown?.state === 'invalidated' && !shown.ok);
  return (
    <section className="card" aria-labelledby="refused-title">
      <h2 id="refused-title">When the API refuses the token</h2>
      <div className="row">
        <button
          type="button"
          className="danger"
          data-testid="invalidate"
          disabled={userId === null}
          onClick={() => userId && invalidate(userId)}
        >
          Invalidate the access token
        </button>
      </div>
      <p className="muted">{INVALIDATE_EXPLAINED}</p>
      <div className="row">
        <button
          type="button"
          data-testid="graphql"
          disabled={sending}
          onClick={() => send('graphql')}
        >
          Send a GraphQL query
        </button>
        <button
          type="button"
          data-testid="whoami"
          disabled={sending}
          onClick={() => send('whoami')}
        >
          Who am I (no refresh)
        </button>
      </div>
      <p
        className={`result-line tall ${failed ? 'bad' : ''}`}
        role="status"
        data-testid="refused-result"
        data-state={shown?.state ?? ''}
        data-request={outcome?.request ?? ''}
        data-ok={outcome ? String(outcome.ok) : ''}
        data-status={outcome?.status ?? ''}
        data-refreshes={outcome?.refreshes ?? ''}
      >
        {lineOf(shown)}
      </p>
      <p className="muted">{REFUSED_EXPLAINED}</p>
    </section>
  );
}
