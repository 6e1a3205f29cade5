import type { RuntimeEnv } from '../lib/env';
import type { RefreshError } from '../lib/errors';
import type { Scheduler } from '../lib/scheduler';
import { toRefreshError } from '../refresh/failures';
import { backoffDelay } from '../refresh/schedule';
import type { Stamps } from '../tabs/stamps';
import type { TabLink } from '../tabs/types';
import type { TokenSet } from '../tokens/token-set';
import type { TokenStore } from '../tokens/token-store';
import type { Expiry, ExpiryRecord } from './expiry-record';
import type { SessionStateStore } from './state';
import type { createTransitions } from './transitions';
import type { SessionOptions } from './types';

/** What the start of a session works with. */
export interface StartDeps {
  env: RuntimeEnv;
  scheduler: Scheduler;
  options: Pick<SessionOptions, 'restore' | 'probe'>;
  state: SessionStateStore;
  store: TokenStore;
  expiries: ExpiryRecord;
  stamps: Stamps;
  tabs: TabLink | null;
  transitions: ReturnType<typeof createTransitions>;
  /** The start-up probe (cookie mode): one silent refresh, under the cross-tab lock. */
  probe(): Promise<TokenSet | null>;
  isDestroyed(): boolean;
}

/**
 * Restore the session: from token storage, else from an open tab, else by the probe. A forced
 * re-login kept from before (a reload, a new tab) holds instead: the page starts `expired`,
 * unless someone signed in after it (in storage or in an open tab). No probe undoes it.
 * Synchronous when nothing needs asking; else the session is `initializing` until the returned
 * promise settles (it never rejects).
 */
export function startSession(deps: StartDeps): Promise<void> {
  const { options, state, store, expiries, stamps, tabs, transitions } = deps;
  if (options.restore === false) return Promise.resolve();
  const stored = store.load();
  // Nothing stored (memory tokens, the default): the open tabs are asked before anything else is
  // read, as their answer takes a round trip through the browser. A forced re-login found next
  // only narrows which answer is taken (answers arrive as tasks, after this).
  let asked = stored ? null : (tabs?.askTabs() ?? null);
  const expiry = expiries.read();
  if (expiry) stamps.observe(expiry.stamp);
  if (stored) stamps.observe(stored.stamp);
  if (stored && (!expiry || stored.sessionStamp > expiry.sessionStamp)) {
    transitions.accept(stored, 'restore', false);
    return Promise.resolve();
  }
  // Only a session newer than the one that expired may be taken from another tab.
  if (expiry) state.set({ sessionStamp: expiry.sessionStamp });
  if (stored) asked = tabs?.askTabs() ?? null;
  const probing = options.probe === true && !expiry;
  if (!asked && !probing) {
    if (expiry) transitions.restoreExpiry(expiry);
    return Promise.resolve();
  }
  transitions.starting();
  return finish(deps, asked, probing, expiry);
}

/** The asynchronous part: the open tabs' answer, else the probe. */
async function finish(
  deps: StartDeps,
  asked: Promise<TokenSet | null> | null,
  probing: boolean,
  expiry: Expiry | null,
): Promise<void> {
  const { state, transitions } = deps;
  // A login (here or in another tab) while the session starts wins over what the start finds.
  const stillStarting = () => state.get().status === 'initializing' && !deps.isDestroyed();
  let tokens = asked ? await asked.catch(() => null) : null;
  let failure: RefreshError | null = null;
  if (!tokens && probing && stillStarting()) {
    try {
      tokens = await deps.probe();
    } catch (cause) {
      failure = toRefreshError(cause);
    }
  }
  if (!stillStarting()) return;
  if (tokens) transitions.accept(tokens, 'restore', false);
  else if (expiry) transitions.restoreExpiry(expiry);
  else if (failure && failure.kind !== 'rejected') probeAgain(deps, failure, 1);
  else transitions.startedSignedOut();
}

/**
 * The probe failed for a transient reason (a 5xx, the network): the session may well be alive
 * on the server. The page is signed out for now, with the reason in `lastError`, and the probe
 * is asked again with backoff until it answers for sure. A login or logout meanwhile (which
 * clears `lastError`) ends the retries.
 */
function probeAgain(deps: StartDeps, failure: RefreshError, attempt: number): void {
  const { env, state, transitions } = deps;
  transitions.startedSignedOut(failure);
  const stillWaiting = () =>
    !deps.isDestroyed() && state.get().status === 'anonymous' && state.get().lastError === failure;
  deps.scheduler.at(env.now() + backoffDelay(attempt, env.random), async () => {
    if (!stillWaiting()) return;
    try {
      const tokens = await deps.probe();
      if (!stillWaiting()) return;
      if (tokens) transitions.accept(tokens, 'restore', false);
      else transitions.startedSignedOut();
    } catch (cause) {
      if (!stillWaiting()) return;
      const error = toRefreshError(cause);
      if (error.kind === 'rejected') transitions.startedSignedOut();
      else probeAgain(deps, error, attempt + 1);
    }
  });
}
