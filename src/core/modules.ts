import type { Env } from '../lib/env';
import { SessionError } from '../lib/errors';
import type { TokenSet } from '../tokens/token-set';
import type {
  ExpireReason,
  SessionEventMap,
  SessionEventType,
  SessionOptions,
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
  /**
   * Sign the session's own requests from now on (`sessionkeeper/dpop`): every attempt of an
   * authorized `session.fetch`/`session.http` request (the replay after a 401 included), and
   * the POSTs to the `refresh` and `logout` endpoints. One signer per session: a second call
   * replaces the first.
   */
  setRequestSigner(signer: RequestSigner): void;
}

/** A request the session has its {@link RequestSigner} send. */
export interface SignTarget {
  /**
   * `resource`: an attempt of `session.fetch` that carries `accessToken`; `refresh` and
   * `revocation`: a POST to the `refresh` or `logout` endpoint (no access token).
   */
  readonly kind: 'resource' | 'refresh' | 'revocation';
  /**
   * The method as given to fetch (`undefined`: GET). Fetch upper-cases `get`, `post`, `put`,
   * `delete`, `head` and `options`, and sends any other as it is.
   */
  readonly method: string | undefined;
  /** The absolute URL, query and fragment included (the signer drops what it must). */
  readonly url: string;
  /** The access token the request carries (`resource` only). */
  readonly accessToken?: string | undefined;
  /** `false`: a stream body, which can be sent once only. @default true */
  readonly replayable?: boolean | undefined;
}

/**
 * What a module gives the session to send its requests signed (`sessionkeeper/dpop`). The
 * session keeps everything else: waiting for a refresh, the 401 replay, held requests.
 */
export interface RequestSigner {
  /**
   * Send one attempt of `target`: `send(headers)` sends it with these headers besides its own
   * (lower-case names; `authorization` replaces the request's). Each send is signed anew; the
   * signer may send twice (a DPoP nonce asked for), and answers the response the app gets.
   * For a `refresh` it throws a `RefreshError` to say how the refresh failed; anything else it
   * throws fails the request with that error.
   */
  send(
    target: SignTarget,
    send: (headers: Record<string, string>) => Promise<Response>,
  ): Promise<Response>;
  /**
   * Did the signer hand `response` back as it is, though it looks refused (a 401 that still
   * asks for a nonce after the retry)? It is then the app's answer: no 401 replay, no expiry.
   */
  handedBack(response: Response): boolean;
  /**
   * Check a raw token response (a login, a refresh) before the session takes it; an error
   * refuses it: `login()` rejects with it, a refresh fails as `rejected`, and either is an
   * `error` event (source `dpop`).
   */
  checkTokens(raw: unknown): SessionError | null;
}

/**
 * The check of a session without a signer: a DPoP-bound token (`token_type: DPoP`) cannot be
 * sent as a bearer token, so it is refused (`DPOP_TOKEN_TYPE`).
 */
export const bearerOnly = (raw: unknown): SessionError | null =>
  /^dpop$/i.test((raw as { token_type?: unknown } | null)?.token_type as string)
    ? new SessionError('DPOP_TOKEN_TYPE', 'token_type DPoP needs the dpop option')
    : null;

/**
 * The key of the method by which a session connects a module instance. A symbol, so it is no
 * part of the instance's public API; `Symbol.for`, so two copies of the package agree on it.
 */
export const CONNECT = Symbol.for('sessionkeeper.connect');

/** A module instance a session can connect: made by `createIdleTimer()`, `createDraftStore()` or `createDpop()`. */
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
  option: 'idle' | 'drafts' | 'dpop',
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

/** Connect the modules given as options; each is the instance, or `null` when not given. */
export function connectModules(
  options: Pick<SessionOptions, 'idle' | 'drafts' | 'dpop'>,
  port: SessionPort,
) {
  const idle = options.idle ?? null;
  if (idle) connectModule(idle, port, 'idle', 'createIdleTimer');
  const drafts = options.drafts ?? null;
  if (drafts) connectModule(drafts, port, 'drafts', 'createDraftStore');
  const dpop = options.dpop ?? null;
  if (dpop) connectModule(dpop, port, 'dpop', 'createDpop');
  return { idle, drafts, dpop };
}
