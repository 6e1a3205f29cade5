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
  /** Is the browser online? `true` when unknown. */
  isOnline(): boolean;
}

type AnyGlobal = typeof globalThis & Record<string, unknown>;
const global = (): AnyGlobal => globalThis as AnyGlobal;

function pick<K extends keyof Env>(env: Env, key: K, fallback: () => Env[K]): Env[K] {
  return key in env ? env[key] : fallback();
}

/** Apply the defaults to an injected environment. Reads nothing until a getter is called. */
export function resolveEnv(env: Env = {}): RuntimeEnv {
  const win = (): EnvWindow | null =>
    (pick(env, 'window', () => (typeof window === 'undefined' ? null : window)) ??
      null) as EnvWindow | null;
  return {
    now: () => (env.now ? env.now() : Date.now()),
    // Lambdas, not references: fake timers installed after creation must still be used.
    setTimeout: (handler, ms) =>
      env.setTimeout ? env.setTimeout(handler, ms) : global().setTimeout(handler, ms),
    clearTimeout: (id) =>
      env.clearTimeout
        ? env.clearTimeout(id)
        : global().clearTimeout(id as ReturnType<typeof setTimeout>),
    random: () => (env.random ? env.random() : Math.random()),
    fetch: () => {
      const f = pick(env, 'fetch', () => (typeof fetch === 'function' ? fetch : null));
      return f ?? null;
    },
    window: win,
    storage: (kind) => {
      const key = kind === 'local' ? 'localStorage' : 'sessionStorage';
      if (key in env) return env[key] ?? null;
      // Reading window.localStorage throws a SecurityError when storage is disabled.
      const value = global()[key] as StorageLike | undefined;
      return value ?? null;
    },
    indexedDB: () =>
      pick(env, 'indexedDB', () => (global().indexedDB as IDBFactory | undefined) ?? null) ?? null,
    channel: (name) => {
      const Ctor = pick(env, 'BroadcastChannel', () =>
        typeof BroadcastChannel === 'function'
          ? (BroadcastChannel as unknown as BroadcastChannelConstructor)
          : null,
      );
      return Ctor ? new Ctor(name) : null;
    },
    locks: () =>
      pick(env, 'locks', () =>
        typeof navigator !== 'undefined' ? (navigator.locks ?? null) : null,
      ) ?? null,
    isVisible: () => {
      const state = win()?.document?.visibilityState;
      return state === undefined || state !== 'hidden';
    },
    isOnline: () => win()?.navigator?.onLine !== false,
  };
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
  const onDocument = (type: string) =>
    type === 'visibilitychange' && typeof doc?.addEventListener === 'function';
  for (const type of types) {
    if (onDocument(type)) doc?.addEventListener?.(type, listener);
    else target.addEventListener(type, listener);
  }
  return () => {
    for (const type of types) {
      if (onDocument(type)) doc?.removeEventListener?.(type, listener);
      else target.removeEventListener(type, listener);
    }
  };
}
