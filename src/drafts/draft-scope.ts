import type { DraftOwner } from './draft-storage';
import type { DraftStoreOptions } from './types';

/** What a call of {@link DraftScope.enter} was. */
export interface ScopeChange {
  /** The user in scope is another one (or nobody) now. */
  changed: boolean;
  /** Someone signed in: another user than before, or the same one after a forced re-login. */
  signingIn: boolean;
}

/**
 * Who the drafts are for now, and the rules of who sees, writes and keeps which draft. The scope
 * is a signed-in user, a user whose session was forced to end (known, not signed in: the page is
 * theirs, but storage is off limits), or nobody (`null`: the anonymous scope).
 */
export interface DraftScope {
  /** The user in scope (also while not signed in), or `null`. */
  readonly user: string | null;
  /** Whether the user in scope is known but not signed in (a forced re-login). */
  readonly suspended: boolean;
  /**
   * Whose draft a form uses now: the signed-in user's; for an anonymous form, the anonymous one
   * (`null`) while nobody is in scope. `undefined`: none, so nothing is saved, restored or loaded.
   */
  ownerFor(anonymous: boolean): DraftOwner | undefined;
  /**
   * Are `owner`'s drafts (and pending saves) kept when `next` comes into scope? Their own are;
   * anonymous ones with `keepAnonymous`; a user's when nobody comes, or with `keepOtherUsers`.
   */
  keeps(owner: DraftOwner, next: string | null): boolean;
  /** `user` is signed in now (`null`: nobody is). */
  enter(user: string | null): ScopeChange;
  /** `user`'s session was forced to end. */
  suspend(user: string): void;
}

export function createDraftScope(
  initial: string | null,
  { keepOtherUsers = false, keepAnonymous = false }: DraftStoreOptions,
): DraftScope {
  let user = initial;
  let suspended = false;

  return {
    get user() {
      return user;
    },
    get suspended() {
      return suspended;
    },
    ownerFor(anonymous) {
      if (anonymous) return user === null ? null : undefined;
      return user !== null && !suspended ? user : undefined;
    },
    keeps(owner, next) {
      if (owner === next) return true;
      if (owner === null) return keepAnonymous;
      return next === null || keepOtherUsers;
    },
    enter(next) {
      const changed = next !== user;
      const signingIn = next !== null && (changed || suspended);
      user = next;
      suspended = false;
      return { changed, signingIn };
    },
    suspend(next) {
      user = next;
      suspended = true;
    },
  };
}
