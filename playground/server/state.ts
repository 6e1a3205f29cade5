import * as z from 'zod/mini';
import { AccessTokenRegistry } from './access-tokens';
import { createSecret, randomId, signJwt, verifyJwt } from './jwt';
import { configSchema, type FailureKind, type MockConfigPatch, type RefreshMode } from './schemas';
import type {
  AccessCheck,
  IssuedTokens,
  MockAuthOptions,
  MockConfig,
  MockCounters,
  MockStateSnapshot,
  RefreshOutcome,
  SessionFamily,
} from './types';
import { type DemoUser, findUser } from './users';

interface RefreshRecord {
  familyId: string;
  expiresAt: number;
  used: boolean;
}

const zeroCounters = (): MockCounters => ({
  logins: 0,
  refreshes: 0,
  refreshFailures: 0,
  noSession: 0,
  reuseRejections: 0,
  unauthorized: 0,
  requests: 0,
  logouts: 0,
});

/** The mock server's in-memory state: sessions, rotating refresh tokens, counters, config. */
export class MockAuthState {
  readonly now: () => number;
  config: MockConfig;
  counters: MockCounters = zeroCounters();
  refreshLog: Record<string, number[]> = {};
  pendingFailures: { kind: FailureKind; remaining: number }[] = [];
  private readonly initial: MockConfig;
  private readonly secret = createSecret();
  private families = new Map<string, SessionFamily>();
  private refreshTokens = new Map<string, RefreshRecord>();
  private accessTokens = new AccessTokenRegistry();

  constructor(options: MockAuthOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    const { accessTtlSeconds = 300, refreshTtlSeconds = 3600, latencyMs = 0 } = options;
    this.initial = { accessTtlSeconds, refreshTtlSeconds, latencyMs };
    const checked = z.safeParse(configSchema, this.initial);
    if (!checked.success)
      throw new TypeError(`Bad mock auth options: ${z.prettifyError(checked.error)}`);
    this.config = { ...this.initial };
  }

  /** Sign in a demo user; `null` for an unknown user. */
  login(username: string, mode: RefreshMode): IssuedTokens | null {
    const user = findUser(username);
    if (user === undefined) return null;
    this.prune();
    const family: SessionFamily = {
      id: randomId(12),
      username,
      mode,
      createdAt: this.now(),
      revoked: false,
      rotations: 0,
    };
    this.families.set(family.id, family);
    this.counters.logins++;
    return this.issue(family, user);
  }

  /** Rotate a refresh token. Presenting a used token revokes its whole family. */
  refresh(token: string): RefreshOutcome {
    const record = this.refreshTokens.get(token);
    const family = record && this.families.get(record.familyId);
    if (record === undefined || family === undefined) return { ok: false, reason: 'unknown' };
    if (record.used) {
      family.revoked = true;
      this.counters.reuseRejections++;
      return { ok: false, reason: 'reused' };
    }
    if (family.revoked) return { ok: false, reason: 'revoked' };
    if (record.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    record.used = true;
    family.rotations++;
    this.counters.refreshes++;
    this.refreshLog[family.username] = [...(this.refreshLog[family.username] ?? []), this.now()];
    return { ok: true, tokens: this.issue(family, findUser(family.username)!) };
  }

  /** Take the next injected refresh failure, if any. */
  takeFailure(): FailureKind | undefined {
    const next = this.pendingFailures[0];
    if (next === undefined) return undefined;
    if (--next.remaining === 0) this.pendingFailures.shift();
    return next.kind;
  }

  failNextRefresh(kind: FailureKind, count = 1): void {
    this.pendingFailures.push({ kind, remaining: count });
  }

  /**
   * Revoke the family of a refresh token or of an access token this server signed (RFC 7009).
   * Returns whether a session was found.
   */
  revokeToken(token: string): boolean {
    const familyId =
      this.refreshTokens.get(token)?.familyId ??
      (() => {
        const result = verifyJwt(this.secret, token, this.now(), true);
        return result.ok ? result.claims.sid : undefined;
      })();
    const family = familyId === undefined ? undefined : this.families.get(familyId);
    if (family === undefined) return false;
    family.revoked = true;
    return true;
  }

  /** Revoke every session of a user; returns how many were still live. */
  revokeUser(username: string): number {
    let revoked = 0;
    for (const family of this.families.values()) {
      if (family.username === username && !family.revoked) {
        family.revoked = true;
        revoked++;
      }
    }
    return revoked;
  }

  /**
   * Refuse every access token issued so far to a user's live sessions; their refresh tokens stay
   * valid, so one refresh brings a token that is accepted. Returns how many tokens were refused.
   */
  invalidateAccessTokens(username: string): number {
    const live = [...this.families.values()].filter(
      (family) => family.username === username && !family.revoked,
    );
    return this.accessTokens.refuse(new Set(live.map((family) => family.id)), this.now());
  }

  /**
   * Check an access token: signature, expiry, that its session was not revoked, and that it was
   * not invalidated.
   */
  checkAccessToken(token: string): AccessCheck {
    const result = verifyJwt(this.secret, token, this.now());
    if (!result.ok) return result;
    const family = this.families.get(result.claims.sid);
    const user = findUser(result.claims.sub);
    if (family === undefined || family.revoked || user === undefined) {
      return { ok: false, reason: 'revoked' };
    }
    if (this.accessTokens.isRefused(result.claims.jti)) return { ok: false, reason: 'invalidated' };
    return { ok: true, claims: result.claims, user };
  }

  setConfig(patch: MockConfigPatch): MockConfig {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) this.config[key as keyof MockConfig] = value;
    }
    return { ...this.config };
  }

  /** Sessions, counters, failures and config back to how the server started. */
  reset(): void {
    this.config = { ...this.initial };
    this.counters = zeroCounters();
    this.refreshLog = {};
    this.pendingFailures = [];
    this.families = new Map();
    this.refreshTokens = new Map();
    this.accessTokens = new AccessTokenRegistry();
  }

  snapshot(): MockStateSnapshot {
    return structuredClone({
      now: this.now(),
      config: this.config,
      counters: this.counters,
      refreshLog: this.refreshLog,
      sessions: [...this.families.values()],
      pendingFailures: this.pendingFailures,
    });
  }

  private issue(family: SessionFamily, user: DemoUser): IssuedTokens {
    const now = this.now();
    const iat = Math.floor(now / 1000);
    const { accessTtlSeconds, refreshTtlSeconds } = this.config;
    const jti = randomId(12);
    const exp = iat + accessTtlSeconds;
    const accessToken = signJwt(this.secret, {
      sub: user.id,
      name: user.name,
      iat,
      exp,
      jti,
      sid: family.id,
      iss: 'sessionkeeper-playground',
    });
    this.accessTokens.prune(now);
    this.accessTokens.add(jti, family.id, exp * 1000);
    const refreshToken = randomId(32);
    this.refreshTokens.set(refreshToken, {
      familyId: family.id,
      expiresAt: now + refreshTtlSeconds * 1000,
      used: false,
    });
    return {
      response: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: accessTtlSeconds,
        refresh_expires_in: refreshTtlSeconds,
      },
      refreshToken,
      family: { ...family },
    };
  }

  /** Forget refresh tokens that have expired (a reused expired token is then just unknown). */
  private prune(): void {
    const now = this.now();
    for (const [token, record] of this.refreshTokens) {
      if (record.expiresAt <= now) this.refreshTokens.delete(token);
    }
  }
}
