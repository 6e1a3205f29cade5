import type { Env } from '../lib/env';
import type { TokenSet } from '../tokens/token-set';
import type {
  ExpireReason,
  SessionEventMap,
  SessionEventType,
  SessionSnapshot,
  SessionUser,
} from './types';

/** What happens to the session, as its parts and modules follow it (not public events). */
export interface SessionSignals {
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

/**
 * What a session offers a module it was given (`idle`, `drafts`), once, when it is created. The
 * module's own code does the wiring, so a session without the module carries none of it.
 */
export interface SessionPort {
  /** The session's `env`: a module created without one uses it. */
  readonly env: Env | undefined;
  /** The session's `crossTab.name`: a module created without a name uses it. */
  readonly name: string;
  /** Whether the session shares its state between tabs. */
  readonly crossTab: boolean;
  /** Sign-ins, sign-outs and the session's end; returns the remover. */
  on<K extends keyof SessionSignals>(
    type: K,
    handler: (event: SessionSignals[K]) => void,
  ): () => void;
  /** Listen to one of the session's public events; returns the remover. */
  onEvent<K extends SessionEventType>(
    type: K,
    handler: (event: SessionEventMap[K]) => void,
  ): () => void;
  /** Emit one of the session's public events (a module's events become the session's). */
  emit<K extends SessionEventType>(type: K, event: SessionEventMap[K]): void;
  expire(reason: ExpireReason): void;
  logout(): Promise<void>;
  /** Mirror the idle timer's state in the snapshot. */
  setIdle(idle: SessionSnapshot['idle']): void;
}

/**
 * The key of the method by which a session connects a module instance. A symbol, so it is no
 * part of the instance's public API; `Symbol.for`, so two copies of the package agree on it.
 */
export const CONNECT = Symbol.for('sessionkeeper.connect');

/** A module instance a session can connect: made by `createIdleTimer()` or `createDraftStore()`. */
export interface Connectable {
  [CONNECT](port: SessionPort): void;
}

/**
 * Connect `instance`, given as the session's `option`.
 * @throws TypeError when it was not made by the module's factory (`factory`).
 */
export function connectModule(
  instance: unknown,
  port: SessionPort,
  option: 'idle' | 'drafts',
  factory: string,
): void {
  const connectable = instance as Partial<Connectable> | null;
  if (typeof connectable?.[CONNECT] !== 'function') {
    throw new TypeError(
      `createSession: ${option} must be made by ${factory}() of 'sessionkeeper/${option}'`,
    );
  }
  connectable[CONNECT](port);
}
