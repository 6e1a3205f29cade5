import { type FormEvent, useState } from 'react';
import { IdlePause } from './IdlePause';
import { type IdleSettings, idleSearch } from './lib/settings';

/**
 * Idle timeout and warning (applying reloads the page with them in the URL), and the pause.
 */
export function IdleSettingsCard({ settings }: { settings: IdleSettings }) {
  const [draft, setDraft] = useState(settings);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    // A reload shows the other half of the story: the session comes back by itself (an open
    // tab answers, or the httpOnly cookie refreshes), and the idle deadline survives it.
    window.location.search = idleSearch(window.location.search, draft);
  };
  return (
    <section className="card" aria-labelledby="idle-settings-title">
      <h2 id="idle-settings-title">Idle timeout</h2>
      <form onSubmit={apply}>
        <div className="row">
          <label>
            <input
              type="checkbox"
              checked={draft.enabled}
              data-testid="idle-enabled"
              onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })}
            />{' '}
            Sign out after inactivity in every tab
          </label>
        </div>
        <div className="row">
          <label>
            After{' '}
            <input
              type="number"
              min={2}
              value={draft.timeoutSeconds}
              disabled={!draft.enabled}
              data-testid="idle-timeout"
              onChange={(event) =>
                setDraft({ ...draft, timeoutSeconds: Number(event.target.value) })
              }
            />{' '}
            s
          </label>
          <label>
            warn{' '}
            <input
              type="number"
              min={1}
              value={draft.promptSeconds}
              disabled={!draft.enabled}
              data-testid="idle-prompt"
              onChange={(event) =>
                setDraft({ ...draft, promptSeconds: Number(event.target.value) })
              }
            />{' '}
            s before
          </label>
        </div>
        <div className="row">
          <button type="submit" data-testid="apply-idle">
            Apply (reloads the page)
          </button>
        </div>
      </form>
      <p className="muted">
        Moving the mouse, typing or scrolling in any tab counts as activity; a background token
        refresh does not. When the time is up the session is ended as a forced re-login: drafts are
        kept and requests wait.
      </p>
      <IdlePause />
    </section>
  );
}
