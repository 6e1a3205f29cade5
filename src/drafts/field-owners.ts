/**
 * Whose value each field of one attached form holds, by field name, so that a form that stays
 * mounted from one user to the next never puts one user's text into another user's draft.
 * The owner of a name is the user in scope when its value was typed (or reset), or the user whose
 * draft filled it; `null` when it was typed while nobody was known (or filled from the anonymous
 * draft): the anonymous draft's, and, once claimed, whoever signs in next. A name nobody typed
 * into or restored (the app's own value) belongs to everyone.
 */
export interface FieldOwners {
  /** The user (`null`: nobody known) changed the value of `name`. */
  edited(name: string, user: string | null): void;
  /** `name` was filled from `user`'s draft (`null`: the anonymous one): not an edit. */
  restored(name: string, user: string | null): void;
  /** `user` signed in: the values typed while nobody was known are theirs now. */
  claim(user: string): void;
  /**
   * May `user`'s draft (`null`: the anonymous one) hold the value of `name`? Not when it belongs
   * to another user.
   */
  belongsTo(name: string, user: string | null): boolean;
  /**
   * Must a restore for `user` leave `name` alone? Yes when its value was changed by `user` (or
   * by nobody known) and has not reached storage since.
   */
  isUnsavedEditOf(name: string, user: string | null): boolean;
  /** Does `user` (`null`: nobody known) have edits that have not reached storage? */
  hasUnsavedEdits(user: string | null): boolean;
  /** The form's values reached storage: no edit is unsaved any more. */
  saved(): void;
}

export function createFieldOwners(): FieldOwners {
  const owners = new Map<string, string | null>();
  // Names changed since the form's values last reached storage.
  const unsaved = new Set<string>();

  const isTheirs = (name: string, user: string | null) => {
    const owner = owners.get(name);
    return owner === user || owner === null;
  };

  return {
    edited(name, user) {
      owners.set(name, user);
      unsaved.add(name);
    },
    restored(name, user) {
      owners.set(name, user);
      unsaved.delete(name);
    },
    claim(user) {
      for (const [name, owner] of owners) if (owner === null) owners.set(name, user);
    },
    belongsTo(name, user) {
      return !owners.has(name) || isTheirs(name, user);
    },
    isUnsavedEditOf(name, user) {
      return unsaved.has(name) && isTheirs(name, user);
    },
    hasUnsavedEdits(user) {
      for (const name of unsaved) if (isTheirs(name, user)) return true;
      return false;
    },
    saved() {
      unsaved.clear();
    },
  };
}
