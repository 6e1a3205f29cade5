import type { ExpireReason, SessionUser } from '../core/types';
import type { TokenSet } from '../tokens/token-set';

/** A sign-out, as told to the other tabs. */
export interface SignOut {
  kind: 'logout' | 'expired';
  /** When it happened (see `stamps.ts`). */
  stamp: number;
  /** The sign-in stamp of the session it ends. */
  sessionStamp: number;
  /** Why it expired (an expiry only). */
  reason?: ExpireReason | undefined;
  /** The user of the session that expired, for "sign in again as …" (an expiry only). */
  user?: SessionUser | undefined;
}

/** Obtain a token set: the refresh request (or the start-up probe) and its parsing. */
export type PerformRefresh = (signal: AbortSignal) => Promise<TokenSet>;

/** What the cross-tab link does for the session. */
export interface TabLink {
  /**
   * Refresh under the cross-tab lock, or adopt a token set fresher than the one held now that
   * another tab already got.
   */
  refresh(perform: PerformRefresh, signal: AbortSignal): Promise<TokenSet>;
  /** A login in this tab: the other tabs sign in too. */
  publishLogin(tokens: TokenSet): void;
  /** A sign-out in this tab: the other tabs sign out too. */
  publishSignOut(signOut: SignOut): void;
  /** Whether this tab holds a signed-in session (other tabs may ask it for the tokens). */
  setSignedIn(signedIn: boolean): void;
  /**
   * Ask the open tabs for a session begun after the last sign-out this tab knows of: `null` at
   * once when no other tab is known to be open.
   */
  askTabs(): Promise<TokenSet | null> | null;
  /**
   * Does this tab lead? The leader (one signed-in tab, chosen by a Web Lock) plans the refresh
   * for all tabs; the others only keep a fallback. Every tab leads without Web Locks.
   */
  isLeader(): boolean;
  /**
   * The start-up probe (cookie mode) under the refresh lock: tabs opened together (a restored
   * browser window) must not all send the same rotating cookie. `null`: another tab probed or
   * signed in meanwhile and did not share its session in time.
   */
  probe(perform: PerformRefresh, signal: AbortSignal): Promise<TokenSet | null>;
  destroy(): void;
}

/** What another tab told this one. */
export interface RemoteHandlers {
  tokens(tokens: TokenSet, kind: 'login' | 'refresh' | 'restore'): void;
  /** Another tab signed out, and this one must follow (the order was checked). */
  signOut(signOut: SignOut): void;
}
