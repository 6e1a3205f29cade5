import { calculatePKCECodeChallenge } from 'oauth4webapi';
import type { StorageLike } from 'sessionkeeper';

/** A sign-in under way: its secrets and where to go back. */
export interface Flow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly redirectUri: string;
  /** Where the user was (redirect sign-in). */
  readonly returnTo: string;
  /** The app's `state` option. */
  readonly appState?: unknown;
}

/** How many handled callbacks are remembered (as hashes) to tell a reload from a stranger. */
const USED_KEPT = 5;

const isFlow = (value: unknown): value is Flow => {
  const flow = value as Partial<Flow> | null;
  return (
    typeof flow?.state === 'string' &&
    typeof flow.nonce === 'string' &&
    typeof flow.verifier === 'string' &&
    flow.verifier !== '' &&
    typeof flow.redirectUri === 'string' &&
    typeof flow.returnTo === 'string'
  );
};

const parse = (text: string | null | undefined): unknown => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
};

/** What was found for a callback's `state`. */
export type Taken =
  | { kind: 'flow'; flow: Flow }
  /** A flow of this tab, for another state. */
  | { kind: 'other'; flow: Flow }
  /** This callback was handled before. */
  | { kind: 'used' }
  /** Nothing usable: no flow, or one without its verifier. */
  | { kind: 'missing' };

/**
 * A redirect sign-in's secrets in sessionStorage (this tab only, gone with it), one at a time:
 * written just before the page leaves, removed as soon as the callback is read. A handled
 * callback leaves only the hash of its `state`, so a reload of the callback page is told apart.
 */
export function createFlowStorage(storage: () => StorageLike | null | undefined, name: string) {
  const flowKey = `${name}:oidc:flow`;
  const usedKey = `${name}:oidc:used`;
  const use = <T>(body: (storage: StorageLike) => T): T | undefined => {
    try {
      const found = storage();
      return found ? body(found) : undefined;
    } catch {
      return undefined; // storage disabled or full: the sign-in then reports the flow missing
    }
  };
  const used = (): string[] => {
    const list = parse(use((s) => s.getItem(usedKey)));
    return Array.isArray(list) ? list.filter((item) => typeof item === 'string') : [];
  };

  return {
    /** Keep `flow` for the callback; `false` when the storage cannot. */
    save(flow: Flow): boolean {
      return (
        use((s) => {
          s.setItem(flowKey, JSON.stringify(flow));
          return true;
        }) ?? false
      );
    },
    /** Whether a flow of this tab waits for a callback with `state`. */
    has(state: string | null): boolean {
      const flow = parse(use((s) => s.getItem(flowKey))) as Flow | null;
      return state !== null && flow?.state === state;
    },
    /**
     * The flow for this callback, removed at once (a second call finds it used): the secrets
     * outlive no callback, whatever it says.
     */
    async take(state: string | null): Promise<Taken> {
      const stored = parse(use((s) => s.getItem(flowKey)));
      use((s) => s.removeItem(flowKey));
      const hash = state === null ? null : await calculatePKCECodeChallenge(state);
      if (hash !== null) {
        const list = used();
        if (!isFlow(stored) && list.includes(hash)) return { kind: 'used' };
        const kept = [...list.filter((item) => item !== hash), hash].slice(-USED_KEPT);
        use((s) => s.setItem(usedKey, JSON.stringify(kept)));
      }
      if (!isFlow(stored)) return { kind: 'missing' };
      return stored.state === state
        ? { kind: 'flow', flow: stored }
        : { kind: 'other', flow: stored };
    },
  };
}

export type FlowStorage = ReturnType<typeof createFlowStorage>;
