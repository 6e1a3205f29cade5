import { useEffect, useState } from 'react';
import { setAccessTtl } from './setup';

interface ProviderLog {
  grants: string[];
  grantErrors: string[];
  revokedGrants: number;
  endedSessions: number;
  accessTtlSeconds: number;
}

/** What oidc-provider did (grants, reuse errors, revocations, ended sessions), and its token lifetime. */
export function ProviderCard() {
  const [log, setLog] = useState<ProviderLog | null>(null);
  useEffect(() => {
    const read = () =>
      fetch('/oidc-api/log')
        .then((response) => response.json() as Promise<ProviderLog>)
        .then(setLog, () => {});
    read();
    const timer = window.setInterval(read, 2_000);
    return () => window.clearInterval(timer);
  }, []);
  const count = (type: string) => log?.grants.filter((grant) => grant === type).length ?? 0;
  return (
    <section className="card">
      <h2>oidc-provider</h2>
      <p data-testid="provider-log">
        code exchanges: {count('authorization_code')} · refreshes: {count('refresh_token')} · grant
        errors: {log?.grantErrors.length ?? 0} · revoked grants: {log?.revokedGrants ?? 0} · ended
        sessions: {log?.endedSessions ?? 0}
      </p>
      <label>
        Access token lifetime{' '}
        <select
          value={log?.accessTtlSeconds ?? 60}
          onChange={(event) => {
            setAccessTtl(Number(event.target.value)).catch(() => {});
          }}
        >
          {[10, 30, 60, 300].map((s) => (
            <option key={s} value={s}>
              {s} s (next sign-in or refresh)
            </option>
          ))}
        </select>
      </label>
      <p className="muted">Any login and password sign in (oidc-provider's development pages).</p>
    </section>
  );
}
