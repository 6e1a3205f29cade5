import type { Emitter } from '../lib/emitter';
import type { RuntimeEnv } from '../lib/env';
import type { Scheduler } from '../lib/scheduler';
import type { SessionStateStore } from './state';
import type { TokenSet } from '../tokens/token-set';
import type { ExpireReason, SessionEventMap, SessionOptions, SessionUser } from './types';

/** Internal events the session's modules (drafts, idle, requests, tabs) are wired to. */
export interface InternalEvents {
  /** A user is signed in: by login (here or in another tab), restore or probe. */
  'signed-in': { user: SessionUser; previous: SessionUser | null; restored: boolean };
  /** New tokens for the same user. */
  tokens: { tokens: TokenSet };
  'signed-out': {
    kind: 'logout' | 'expired';
    user: SessionUser | null;
    reason?: ExpireReason;
    remote: boolean;
    /** The page started in a forced re-login kept from before (a reload or a new tab). */
    restored?: boolean;
  };
  destroy: Record<string, never>;
}

/** What a module of the session may use. */
export interface SessionContext {
  readonly env: RuntimeEnv;
  /** The namespace of every channel, lock and storage key. */
  readonly name: string;
  readonly options: SessionOptions;
  readonly state: SessionStateStore;
  readonly events: Emitter<SessionEventMap>;
  readonly internal: Emitter<InternalEvents>;
  /** Wall-clock deadlines, re-checked on wake events. */
  readonly scheduler: Scheduler;
  /** Set (for good) by `destroy()`. */
  destroyed: boolean;
  /** Re-plan the next refresh (after something it depends on changed, e.g. `sessionEndsAt`). */
  reschedule(): void;
  /** A token for a request (`null`: signed out, send without one), waiting or holding as needed. */
  acquire(signal?: AbortSignal): Promise<TokenSet | null>;
  /** A request carrying `accessToken` got a 401: a newer token set, from one shared refresh. */
  renewAfter401(accessToken: string, signal?: AbortSignal): Promise<TokenSet | null>;
  expire(reason: ExpireReason): void;
  /** A new stamp, ordering sign-ins, refreshes and sign-outs across tabs (see `stamps.ts`). */
  stamp(): number;
  /** A stamp seen from another tab: later stamps of this tab will be greater. */
  observe(stamp: number): void;
  logout(): Promise<void>;
}
