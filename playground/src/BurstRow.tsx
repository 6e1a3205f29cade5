import { useState } from 'react';
import type { Session } from 'sessionkeeper';
import { BURST_EXPLAINED, type BurstResult, burst, describeBurst } from './lib/requests';

/** "Send 30 requests at once", and how long the whole burst took. */
export function BurstRow({ session }: { session: Session }) {
  const [count, setCount] = useState(30);
  const [result, setResult] = useState<BurstResult | 'running' | null>(null);
  return (
    <>
      <div className="row">
        <label>
          Burst{' '}
          <input
            type="number"
            min={1}
            max={200}
            value={count}
            data-testid="burst-count"
            onChange={(event) => setCount(Math.max(1, Number(event.target.value) || 1))}
          />{' '}
          requests
        </label>
        <button
          type="button"
          data-testid="burst"
          disabled={result === 'running'}
          onClick={() => {
            setResult('running');
            void burst(session, count).then(setResult);
          }}
        >
          Send at once
        </button>
      </div>
      <output
        className="result-line"
        data-testid="burst-result"
        data-ok={typeof result === 'object' ? (result?.ok ?? '') : ''}
        data-ms={typeof result === 'object' ? (result?.ms ?? '') : ''}
      >
        {result === 'running' ? `sending ${count}…` : describeBurst(result)}
      </output>
      <p className="muted">{BURST_EXPLAINED}</p>
    </>
  );
}
