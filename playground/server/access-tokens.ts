interface IssuedAccess {
  familyId: string;
  /** Epoch ms. */
  expiresAt: number;
  refused: boolean;
}

/**
 * The access tokens the server issued that have not expired yet, by `jti`, so that the server
 * can refuse some before their expiry while their session (and its refresh token) stays valid:
 * what an API does after a key rotation or a permission change.
 */
export class AccessTokenRegistry {
  private tokens = new Map<string, IssuedAccess>();

  add(jti: string, familyId: string, expiresAt: number): void {
    this.tokens.set(jti, { familyId, expiresAt, refused: false });
  }

  /** Refuse every live token of these sessions from now on; returns how many were accepted. */
  refuse(familyIds: ReadonlySet<string>, now: number): number {
    let refused = 0;
    for (const token of this.tokens.values()) {
      if (token.refused || token.expiresAt <= now || !familyIds.has(token.familyId)) continue;
      token.refused = true;
      refused++;
    }
    return refused;
  }

  isRefused(jti: string): boolean {
    return this.tokens.get(jti)?.refused === true;
  }

  /** Forget the tokens that have expired (they are refused for that reason anyway). */
  prune(now: number): void {
    for (const [jti, token] of this.tokens) {
      if (token.expiresAt <= now) this.tokens.delete(jti);
    }
  }
}
