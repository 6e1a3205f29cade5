import type { Session } from 'sessionkeeper';
import { useTimeline } from './hooks';
import { formatTime } from './lib/format';

/** Every session event, newest first; ⇄ marks one caused by another tab. */
export function Timeline({ session }: { session: Session }) {
  const entries = useTimeline(session);
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Event timeline</h2>
      <p className="muted">
        Newest first, kept across reloads of this tab. <span aria-hidden="true">⇄</span> marks an
        event that another tab caused (shared over a BroadcastChannel).
      </p>
      {entries.length === 0 ? (
        <p className="muted">No event yet. Sign in to start.</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {entries.map((entry) => (
            <li key={entry.id} data-type={entry.type} data-remote={entry.remote}>
              <span className="muted">{formatTime(entry.at)}</span>
              <span className={`type${entry.remote ? ' remote' : ''}`}>{entry.type}</span>
              <span>{entry.detail}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
