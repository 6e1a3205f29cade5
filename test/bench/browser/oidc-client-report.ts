import type { OidcNewTabSample } from './oidc-client-tabs';
import { distribution, finite, fixed, median } from './stats';

/** Lines for oidc-client-ts's new tabs, as `newTabLines` (report.ts) for sessionkeeper's. */
export function oidcNewTabLines(samples: OidcNewTabSample[], open: number): string[] {
  const pick = (f: (s: OidcNewTabSample) => number) => finite(samples, f);
  const head = `oidc-client-ts new tab (${open} tabs open)`;
  const fetches: Record<string, number> = {};
  for (const sample of samples) {
    for (const [path, n] of Object.entries(sample.fetches))
      fetches[path] = (fetches[path] ?? 0) + n;
  }
  const statuses = [...new Set(samples.map((s) => s.status))];
  return [
    `${head}: navigation start → authenticated ${distribution(pick((s) => s.endToEnd))} ms`,
    `${head}: library part (its modules start → authenticated) ${distribution(pick((s) => s.library))} ms`,
    `${head}:   evaluating the modules ${distribution(pick((s) => s.imports))} ms, ` +
      `new UserManager() ${distribution(pick((s) => s.create))} ms, ` +
      `then getUser() ${distribution(pick((s) => s.wait))} ms; ` +
      `entry script starts at ${distribution(pick((s) => s.scriptStart))} ms`,
    `${head}: first authorized request (navigation start → GET /api/me answered 200) ` +
      `${distribution(pick((s) => s.firstRequest))} ms, ` +
      `of which after authenticated ${distribution(pick((s) => s.firstRequest - s.endToEnd))} ms`,
    `${head}: from node, newPage() → authenticated ${distribution(pick((s) => s.fromNode))} ms ` +
      '(Playwright and page.goto included)',
    `${head}: first status ${statuses.join(', ')}; requests sent by new tabs: ${
      Object.entries(fetches)
        .map(([path, n]) => `${path} ${n}`)
        .join(', ') || 'none'
    }`,
  ];
}

/** What both libraries' new tabs measure, in ms from navigation start. */
interface ComparedTab {
  endToEnd: number;
  library: number;
  /** Navigation start → the first authorized request answered 200 (absent: not measured). */
  firstRequest?: number;
}

/**
 * sessionkeeper and oidc-client-ts side by side (medians of the same run), and issue 18's goal:
 * the library's part ≤ 10 ms, and end to end (to the first authorized request when both pages
 * measure it, else to authenticated) no slower than oidc-client-ts. `tokens`: where sessionkeeper
 * kept them (memory: a new tab asks an open one; local: it reads localStorage, as oidc-client-ts).
 */
export function sameRunLines(
  sessionkeeper: readonly ComparedTab[],
  oidc: readonly ComparedTab[],
  open: number,
  tokens = 'memory',
): string[] {
  const m = (samples: readonly ComparedTab[], f: (s: ComparedTab) => number | undefined) =>
    median(finite(samples, f));
  const both = (label: string, f: (s: ComparedTab) => number | undefined) => {
    const [sk, other] = [m(sessionkeeper, f), m(oidc, f)];
    const by = Number.isFinite(sk - other)
      ? ` (sessionkeeper ${sk >= other ? '+' : ''}${fixed(sk - other)})`
      : '';
    return `${label}: sessionkeeper ${Number.isFinite(sk) ? fixed(sk) : 'not measured'}, oidc-client-ts ${fixed(other)}${by}`;
  };
  const head = `new tab next to ${open} tabs, sessionkeeper with tokens in ${tokens}, same run (medians, ms)`;
  const byRequest = Number.isFinite(m(sessionkeeper, (s) => s.firstRequest));
  const endToEnd = (s: ComparedTab) => (byRequest ? s.firstRequest : s.endToEnd);
  const late = m(sessionkeeper, endToEnd) - m(oidc, endToEnd);
  const library = m(sessionkeeper, (s) => s.library);
  return [
    `${head}: ${both('navigation start → authenticated', (s) => s.endToEnd)}; ` +
      `${both('library part', (s) => s.library)}`,
    `${head}: ${both('navigation start → first authorized request answered', (s) => s.firstRequest)}`,
    `${head}: issue 18's goal: library part ≤ 10 ms ${library <= 10 ? 'met' : 'NOT met'} (${fixed(library)}); ` +
      `end to end (to ${byRequest ? 'the first authorized request' : 'authenticated'}) no slower than ` +
      `oidc-client-ts ${late <= 0 ? 'met' : 'NOT met'} (${late >= 0 ? '+' : ''}${fixed(late)})`,
  ];
}
