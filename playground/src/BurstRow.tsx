import { useState } from 'react';
import type { Session } from 'sessionkeeper';
import { createRenderCounter } from './lib/render-counter';
import { BURST_EXPLAINED, type BurstResult, burst, describeBurst } from './lib/requests';
import { RenderCounts } from './RenderCounts';

/**
 * "Send 30 requests at once" (to a server that refuses the token first, if asked), how long the
 * whole burst took, and how often a status-only and a whole-snapshot component rendered meanwhile.
 */
export function BurstRow({ session }: { session: Session }) {
  const [count, setCount] = useState(30);
  const [refusedFirst, setRefusedFirst] = useState(false);
  const [result, setResult] = useState<BurstResult | 'running' | null>(null);
  const [counter] = useState(createRenderCounter);
  const send = () => {
    setResult('running');
    counter.start();
    void burst(session, count, { refusedFirst }).then((done) => {
      counter.stop();
      setResult(done);
    });
  };
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
        <button type="button" data-testid="burst" disabled={result === 'running'} onClick={send}>
          Send at once
        </button>
        <label>
          <input
            type="checkbox"
            data-testid="burst-refused"
            checked={refusedFirst}
            onChange={(event) => setRefusedFirst(event.target.checked)}
          />{' '}
          token refused first
        </label>
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
      <RenderCounts counter={counter} />
    </>
  );
}
