import { type FormEvent, useState } from 'react';
import { type LifetimeSettings, lifetimeSearch } from './lib/settings';

/** The absolute session lifetime (`maxSessionMs`) and its warning; applying reloads the page. */
export function LifetimeCard({ settings }: { settings: LifetimeSettings }) {
  const [draft, setDraft] = useState(settings);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    window.location.search = lifetimeSearch(window.location.search, draft);
  };
  return (
    <section className="card" aria-labelledby="lifetime-title">
      <h2 id="lifetime-title">Absolute session lifetime</h2>
      <form onSubmit={apply}>
        <div className="row">
          <label>
            <input
              type="checkbox"
              checked={draft.maxSeconds !== null}
              data-testid="max-enabled"
              onChange={(event) =>
                setDraft({ ...draft, maxSeconds: event.target.checked ? 600 : null })
              }
            />{' '}
            End every session after
          </label>
          <label>
            <input
              type="number"
              min={10}
              value={draft.maxSeconds ?? 600}
              disabled={draft.maxSeconds === null}
              data-testid="max-seconds"
              onChange={(event) => setDraft({ ...draft, maxSeconds: Number(event.target.value) })}
            />{' '}
            s
          </label>
        </div>
        <div className="row">
          <label>
            warn{' '}
            <input
              type="number"
              min={1}
              value={draft.warnSeconds}
              disabled={draft.maxSeconds === null}
              data-testid="end-warn-seconds"
              onChange={(event) => setDraft({ ...draft, warnSeconds: Number(event.target.value) })}
            />{' '}
            s before
          </label>
          <button type="submit" data-testid="apply-lifetime">
            Apply (reloads the page)
          </button>
        </div>
      </form>
      <p className="muted">
        Like a bank's 2-hour limit: counted from sign-in, not moved by refreshes or activity, shared
        by every tab and kept across a reload. The server's own refresh-token lifetime counts too,
        whichever ends first.
      </p>
    </section>
  );
}
