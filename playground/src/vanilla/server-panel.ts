import { configureServer, PROBE_EXPLAINED, type ServerState } from '../lib/mock-api';
import { watchServerState } from '../lib/server-state';
import { byTestId, inputById } from './dom';

/** The counters shown, in order: label, test id, counter. */
const COUNTERS = [
  ['Refreshes', 'server-refreshes', 'refreshes'],
  ['Failed refreshes', 'server-refresh-failures', 'refreshFailures'],
  ['Start-up checks: no session', 'server-no-session', 'noSession'],
  ['Reuse rejections', 'server-reuse', 'reuseRejections'],
  ['Refused tokens (401, GraphQL)', 'server-unauthorized', 'unauthorized'],
  ['API requests', 'server-requests', 'requests'],
  ['Logouts', 'server-logouts', 'logouts'],
] as const;

function renderCounters(list: HTMLElement, state: ServerState): void {
  const rows = COUNTERS.flatMap(([label, testId, key]) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = String(state.counters[key]);
    dd.dataset.testid = testId;
    dd.dataset.count = String(state.counters[key]);
    if (key === 'reuseRejections' && state.counters[key] > 0) dd.className = 'bad';
    return [dt, dd];
  });
  const dt = document.createElement('dt');
  dt.textContent = 'Pending failures';
  const dd = document.createElement('dd');
  dd.textContent = state.pendingFailures.length
    ? state.pendingFailures.map((f) => `${f.kind} ×${f.remaining}`).join(', ')
    : 'none';
  list.replaceChildren(...rows, dt, dd);
}

/** The mock auth server card: token lifetime and latency, and what the server counted. */
export function setupServerPanel(): void {
  const ttl = inputById('ttl');
  const latency = inputById('latency');
  const list = byTestId('server-counters');
  byTestId('probe-explained').textContent = PROBE_EXPLAINED;
  // An input shows the server's value until the user types in it (another tab may change it).
  const typed = new Set<HTMLInputElement>();
  for (const input of [ttl, latency]) input.addEventListener('input', () => typed.add(input));
  const watch = watchServerState((state) => {
    if (!typed.has(ttl)) ttl.value = String(state.config.accessTtlSeconds);
    if (!typed.has(latency)) latency.value = String(state.config.latencyMs);
    renderCounters(list, state);
  });
  const error = byTestId('server-error');
  byTestId<HTMLFormElement>('server-form').addEventListener('submit', (event) => {
    event.preventDefault();
    error.hidden = true;
    configureServer({ accessTtlSeconds: Number(ttl.value), latencyMs: Number(latency.value) }).then(
      () => {
        typed.clear();
        watch.reload();
      },
      (cause: unknown) => {
        error.textContent = cause instanceof Error ? cause.message : String(cause);
        error.hidden = false;
      },
    );
  });
}
