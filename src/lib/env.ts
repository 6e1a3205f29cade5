/**
 * The environment sessionkeeper runs in, injected so that every behaviour can be tested
 * without real time, storage, channels or network. Every key is optional; a missing key means
 * the browser global, read lazily at the moment of use (so importing touches no global, and fake
 * timers installed after `createSession` still work). `null` means "not available here".
 */
export interface Env {
  /** Wall-clock time in epoch ms. Default `Date.now`. */
  now?: () => number;
  setTimeout?: (handler: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  fetch?: typeof globalThis.fetch | null;
  /** Target of `visibilitychange`, `focus`, `online`, `pageshow`, `pagehide` (with `document`). */
  window?: EnvWindow | null;
  localStorage?: StorageLike | null;
  sessionStorage?: StorageLike | null;
  indexedDB?: IDBFactory | null;
  BroadcastChannel?: BroadcastChannelConstructor | null;
  locks?: LockManager | null;
  /** Random numbers in [0, 1) for backoff jitter and ids. Default `Math.random`. */
  random?: () => number;
}

/** The part of `window` sessionkeeper uses. */
export interface EnvWindow {
  addEventListener(
    type: string,
    listener: (event: Event) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: (event: Event) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  document?:
    | {
        readonly visibilityState?: DocumentVisibilityState | string;
        addEventListener?: EnvWindow['addEventListener'];
        removeEventListener?: EnvWindow['removeEventListener'];
      }
    | undefined;
  navigator?: { readonly onLine?: boolean } | undefined;
  location?: { readonly origin?: string; readonly href?: string } | undefined;
}

/** The Web Storage subset sessionkeeper needs. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Every key, needed to purge entries by prefix. Web Storage has `length` and `key(i)` instead. */
  keys?(): string[];
  readonly length?: number;
  key?(index: number): string | null;
}

/** What sessionkeeper needs of a BroadcastChannel. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export type BroadcastChannelConstructor = new (name: string) => ChannelLike;

export type TimerId = unknown;

/** The environment with every default applied; each getter reads its global at call time. */
export interface RuntimeEnv {
  now(): number;
  setTimeout(handler: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  random(): number;
  /** `null` when there is no fetch. */
  fetch(): typeof globalThis.fetch | null;
  window(): EnvWindow | null;
  /** The storage, or `null` when absent; throws when access itself throws (SecurityError). */
  storage(kind: 'local' | 'session'): StorageLike | null;
  indexedDB(): IDBFactory | null;
  channel(name: string): ChannelLike | null;
  locks(): LockManager | null;
  /** Is the page visible? `true` when unknown. */
  isVisible(): boolean;
}

/** The longest delay `setTimeout` honours; longer ones fire at once (2^31−1 ms, ~24.8 days). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

type AnyGlobal = typeof globalThis & Record<string, unknown>;
const global = (): AnyGlobal => globalThis as AnyGlobal;

/** The injected `key` (`null`: not available here), else the global of that name, read now. */
function pick<K extends keyof Env>(
  env: Env,
  key: K,
  fallback = (): unknown => global()[key],
): NonNullable<Env[K]> | null {
  return ((key in env ? env[key] : fallback()) ?? null) as NonNullable<Env[K]> | null;
}

/** Apply the defaults to an injected environment. Reads nothing until a getter is called. */
export function resolveEnv(env: Env = {}): RuntimeEnv {
  const win = () => pick(env, 'window');
  return {
    now: () => (env.now ? env.now() : Date.now()),
    // Lambdas, not references: fake timers installed after creation must still be used.
    // Capped: a browser fires a longer delay (an option of 30 days, `Infinity`) at once.
    setTimeout: (handler, ms) => {
      const delay = Math.min(ms, MAX_TIMEOUT_MS);
      return env.setTimeout ? env.setTimeout(handler, delay) : global().setTimeout(handler, delay);
    },
    clearTimeout: (id) =>
      env.clearTimeout
        ? env.clearTimeout(id)
        : global().clearTimeout(id as ReturnType<typeof setTimeout>),
    random: () => (env.random ? env.random() : Math.random()),
    fetch: () => pick(env, 'fetch'),
    window: win,
    // Reading window.localStorage throws a SecurityError when storage is disabled.
    storage: (kind) => pick(env, kind === 'local' ? 'localStorage' : 'sessionStorage'),
    indexedDB: () => pick(env, 'indexedDB'),
    channel: (name) => {
      const Channel = pick(env, 'BroadcastChannel');
      return Channel ? new Channel(name) : null;
    },
    locks: () => pick(env, 'locks', () => global().navigator?.locks),
    isVisible: () => win()?.document?.visibilityState !== 'hidden',
  };
}

/**
 * An environment that asks `current()` for each call, so that a module created on its own can
 * switch to the env of the session it is given to.
 */
export function switchableEnv(current: () => RuntimeEnv): RuntimeEnv {
  return new Proxy({} as RuntimeEnv, {
    get: (_, key) => current()[key as keyof RuntimeEnv],
  });
}

/** Listen on the window (and its document for `visibilitychange`); returns the remover. */
export function listenWindow(
  env: RuntimeEnv,
  types: readonly string[],
  listener: (event: Event) => void,
): () => void {
  const target = env.window();
  if (!target) return () => {};
  const doc = target.document;
  const each = (method: 'addEventListener' | 'removeEventListener') => {
    for (const type of types) {
      const on = type === 'visibilitychange' && doc?.[method] ? doc : target;
      on[method]?.(type, listener);
    }
  };
  each('addEventListener');
  return () => each('removeEventListener');
}
