import { type FormEvent, useState } from 'react';
import { useServerState } from './hooks';
import { configureServer, PROBE_EXPLAINED } from './lib/mock-api';

/** The mock auth server: token lifetime, latency, and what it counted. */
export function ServerPanel() {
  const { state, reload } = useServerState();
  // What the user typed; `null`: show the server's value (another tab may change it).
  const [typedTtl, setTtl] = useState<string | null>(null);
  const [typedLatency, setLatency] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ttl = typedTtl ?? String(state?.config.accessTtlSeconds ?? '');
  const latency = typedLatency ?? String(state?.config.latencyMs ?? '');

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    configureServer({ accessTtlSeconds: Number(ttl), latencyMs: Number(latency) }).then(
      () => {
        setTtl(null);
        setLatency(null);
        reload();
      },
      (cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause)),
    );
  };

  const counters = state?.counters;
  return (
    <section className="card" aria-labelledby="server-title">
      <h2 id="server-title">Mock auth server</h2>
      <form className="row" onSubmit={apply}>
        <label>
          Token lifetime{' '}
          <input
            type="number"
            min={1}
            value={ttl}
            data-testid="ttl"
            onChange={(event) => setTtl(event.target.value)}
          />{' '}
          s
        </label>
        <label>
          Latency{' '}
          <input
            type="number"
            min={0}
            step={100}
            value={latency}
            data-testid="latency"
            onChange={(event) => setLatency(event.target.value)}
          />{' '}
          ms
        </label>
        <button type="submit" data-testid="apply-config">
          Apply
        </button>
      </form>
      <p className="muted">
        New lifetimes apply to the next token. Short-lived tokens are refreshed at half their
        lifetime, longer ones 2 minutes before expiry.
      </p>
      <p className="muted">{PROBE_EXPLAINED}</p>
      {error ? <p className="bad">{error}</p> : null}
      <dl className="facts" data-testid="server-counters">
        <dt>Refreshes</dt>
        <dd data-testid="server-refreshes" data-count={counters?.refreshes}>
          {counters?.refreshes ?? '…'}
        </dd>
        <dt>Failed refreshes</dt>
        <dd data-testid="server-refresh-failures" data-count={counters?.refreshFailures}>
          {counters?.refreshFailures ?? '…'}
        </dd>
        <dt>Start-up checks: no session</dt>
        <dd data-testid="server-no-session" data-count={counters?.noSession}>
          {counters?.noSession ?? '…'}
        </dd>
        <dt>Reuse rejections</dt>
        <dd data-testid="server-reuse" className={counters?.reuseRejections ? 'bad' : ''}>
          {counters?.reuseRejections ?? '…'}
        </dd>
        <dt>Refused tokens (401, GraphQL)</dt>
        <dd data-testid="server-unauthorized">{counters?.unauthorized ?? '…'}</dd>
        <dt>API requests</dt>
        <dd data-testid="server-requests">{counters?.requests ?? '…'}</dd>
        <dt>Logouts</dt>
        <dd data-testid="server-logouts" data-count={counters?.logouts}>
          {counters?.logouts ?? '…'}
        </dd>
        <dt>Pending failures</dt>
        <dd>
          {state?.pendingFailures.length
            ? state.pendingFailures.map((f) => `${f.kind} ×${f.remaining}`).join(', ')
            : 'none'}
        </dd>
      </dl>
    </section>
  );
}
