import { IDBFactory } from 'fake-indexeddb';
import { vi } from 'vitest';
import { createSession, type Env, type Session, type SessionSnapshot } from '../../src/index';
import { createChannelHub } from './channel';
import { createLockManager } from './locks';
import { createFakeServer } from './server';
import { ORIGIN } from './session';
import { MemoryStorage } from './storage';
import { settle } from './tabs';
import { FakeWindow } from './window';

/**
 * The fake browser of the model-based race test (test/tabs/model.test.ts): tabs sharing one
 * localStorage, one IndexedDB (fake-indexeddb), one BroadcastChannel hub, one LockManager, one
 * token server and one clock. Each tab is a `createSession` with the default memory storage.
 *
 * The clock: vitest fake timers count elapsed time (a timer fires after its delay, whatever the
 * wall clock says); every tab reads the wall clock as `Date.now() + skew`, and `skew` is what the
 * user or NTP changes (`jumpClock`). The server keeps its own time (`Date.now()`, no skew).
 *
 * The network: every request travels a random 1–`latencyMs` ms (fake time, seeded) before the
 * server handles it, so tabs whose timers fire together all send before the first answer
 * arrives; a request aborted meanwhile never reaches the server. The token endpoint can be made
 * slow (`hold`) in two ways:
 * - `before`: requests wait before the server handles them; one aborted meanwhile (its 10 s
 *   timeout, a logout, a reload) never reaches the server;
 * - `after`: the server handled the request (a refresh token was rotated) but the response
 *   waits; one aborted meanwhile loses the response, and with it the new refresh token.
 * (`server.hold()` holds before handling but still handles a request aborted meanwhile.)
 *
 * The refresh-token chains: which refresh tokens each session instance received (login, its own
 * refresh responses, the channel). A reused refresh token is `avoidable` when a tab that was still
 * open had received its successor (the tabs had what they needed to not send it), and
 * `unavoidable` when the successor never reached an open tab (the response was lost to an abort
 * or timeout after the server rotated, or the tab that got it was destroyed before telling the
 * others): no client can do better there without a server-side grace period.
 */
export interface ModelTab {
  /** `tab1`, `tab2`, …: kept across reloads. */
  readonly name: string;
  /** This session instance (a reload makes a new one). */
  readonly instance: number;
  session: Session;
  win: FakeWindow;
  /** Survives a reload, like a browser tab's sessionStorage. */
  readonly sessionStorage: MemoryStorage;
  /** How many times this tab was reloaded. */
  reloads: number;
}

export type FailureKind = 'network' | 'server' | 'invalid_grant';
export type HoldKind = 'before' | 'after';

export interface Reuse {
  refreshToken: string;
  avoidable: boolean;
  detail: string;
}

export interface ModelBrowserOptions {
  accessTtlS?: number;
  refreshTtlS?: number;
  /** Take away Web Locks and/or IndexedDB (for a control run that must find reuse). */
  without?: { locks?: boolean; indexedDB?: boolean };
  /** Seeds the tabs' `env.random` (tab ids, backoff jitter) and the latencies. */
  seed?: number;
  /** The most a request travels before the server handles it, in ms. @default 250 */
  latencyMs?: number;
  /** Called for every session created (open, reload), right after `createSession`. */
  onOpen?: (tab: ModelTab) => void;
  /** Called with notable things (for the failure trace). */
  trace?: (line: string) => void;
}

/** The tab as the trace names it: `tab2`, then `tab2/r1` after its first reload, … */
export const traceName = (tab: ModelTab) =>
  tab.reloads > 0 ? `${tab.name}/r${tab.reloads}` : tab.name;

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The `sub` of a JWT access token (`null` when it is not one). */
export function jwtSubject(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims?.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

/** The user of an `Authorization` header (`null`: none or not a bearer JWT). */
export function bearerSubject(header: string | null): string | null {
  return header?.startsWith('Bearer ') ? jwtSubject(header.slice(7)) : null;
}

/** `authenticated(alice)`, `expired(bob,manual)`, `anonymous`. */
export function describeSnapshot(snapshot: SessionSnapshot): string {
  const { status, user, reason } = snapshot;
  if (status === 'anonymous' && !user) return status;
  const inner = [user?.id ?? 'null', ...(status === 'expired' && reason ? [reason] : [])];
  return `${status}(${inner.join(',')})`;
}

interface Gate {
  id: number;
  kind: HoldKind;
  promise: Promise<void>;
  release(): void;
}

type Listener = (event: { data: unknown }) => void;
type BroadcastChannelConstructor = NonNullable<Env['BroadcastChannel']>;
type ChannelLike = InstanceType<BroadcastChannelConstructor>;

export function createModelBrowser(options: ModelBrowserOptions = {}) {
  const trace = options.trace ?? (() => {});
  const server = createFakeServer({
    origin: ORIGIN,
    accessTtlS: options.accessTtlS ?? 300,
    refreshTtlS: options.refreshTtlS ?? 30 * 86_400,
    // The server's own clock: a user changing the computer's clock does not change it.
    now: () => Date.now(),
  });
  const hub = createChannelHub();
  const locks = createLockManager();
  const indexedDB = new IDBFactory();
  const localStorage = new MemoryStorage();
  const random = seededRandom(options.seed ?? 1);
  const latencyRandom = seededRandom((options.seed ?? 1) ^ 0x5bd1e995);
  const latencyMs = options.latencyMs ?? 250;
  const tabs: ModelTab[] = [];
  let skew = 0;
  let pausedUntil: number | null = null;
  let nextTab = 0;
  let instances = 0;

  const start = Date.now();
  const now = () => Date.now() + skew;
  /** Fake time since the browser was created, for the trace. */
  const elapsed = () => `${((Date.now() - start) / 1000).toFixed(3)}s`;

  // --- injected failures: the server takes one per refresh it handles (counts.refresh)
  let pendingFailures = 0;
  let refreshesSeen = 0;
  const syncFailures = () => {
    pendingFailures = Math.max(0, pendingFailures - (server.counts.refresh - refreshesSeen));
    refreshesSeen = server.counts.refresh;
    return pendingFailures;
  };

  // --- refresh-token chains
  let families = 0;
  const familyOf = new Map<string, number>();
  const successor = new Map<string, string>();
  const newestOf = new Map<number, string>();
  const latestFamily = new Map<string, number>();
  const seen = new Map<string, Set<number>>();
  const live = new Set<number>();
  const reuses: Reuse[] = [];
  /** Requests sent by a session after it was destroyed (reload, close). */
  const afterDestroy: string[] = [];
  const see = (refreshToken: unknown, instance: number) => {
    if (typeof refreshToken !== 'string') return;
    let who = seen.get(refreshToken);
    if (!who) {
      who = new Set();
      seen.set(refreshToken, who);
    }
    who.add(instance);
  };
  const knownToOpenTab = (refreshToken: string | undefined) =>
    refreshToken !== undefined && [...(seen.get(refreshToken) ?? [])].some((i) => live.has(i));
  const rotated = (from: string, to: string) => {
    successor.set(from, to);
    const family = familyOf.get(from);
    if (family === undefined) return;
    familyOf.set(to, family);
    newestOf.set(family, to);
  };

  // --- the network
  const gates: Gate[] = [];
  let nextGate = 0;
  /** Wait for `promise`, or reject as fetch does when `signal` aborts first. */
  const unlessAborted = (promise: Promise<void>, signal: AbortSignal | null | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      promise.then(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  const gated = async (kind: HoldKind, signal: AbortSignal | null | undefined) => {
    for (const gate of gates.filter((g) => g.kind === kind)) {
      await unlessAborted(gate.promise, signal);
    }
  };

  const fetchFor = (instance: number, name: string) =>
    (async (input: RequestInfo | URL, init?: RequestInit) => {
      const href = input instanceof Request ? input.url : String(input);
      const url = new URL(href, ORIGIN);
      const signal = init?.signal ?? (input instanceof Request ? input.signal : null);
      const isToken = url.pathname === '/token';
      const sent = isToken
        ? (new URLSearchParams(String(init?.body ?? '')).get('refresh_token') ?? '')
        : '';
      // (A request with an aborted signal never leaves: fetch rejects at once.)
      if (!live.has(instance) && !signal?.aborted) {
        afterDestroy.push(
          `${name} (destroyed) sent ${url.pathname}${isToken ? ` with ${sent}` : ''}`,
        );
        trace(`${elapsed()} ${name} (destroyed) sends ${url.pathname} ${sent}`);
      }
      const travel = new Promise<void>((resolve) =>
        setTimeout(resolve, 1 + Math.floor(latencyRandom() * latencyMs)),
      );
      try {
        await unlessAborted(travel, signal);
        if (isToken && gates.some((g) => g.kind === 'before')) {
          trace(`${elapsed()} ${name} /token ${sent} waits (hold before the server)`);
          await gated('before', signal);
        }
      } catch (error) {
        if (isToken) trace(`${elapsed()} ${name} /token ${sent} aborted before the server`);
        throw error;
      }
      const response = await server.fetch(input, init);
      if (!isToken) return response;
      const body = await response
        .clone()
        .json()
        .catch(() => null);
      const issued = typeof body?.refresh_token === 'string' ? (body.refresh_token as string) : '';
      if (response.ok && issued) rotated(sent, issued);
      trace(
        `${elapsed()} ${name} /token ${sent} → ${response.status} ${issued || body?.error || ''}${
          body?.error_description ? ` (${body.error_description})` : ''
        }`,
      );
      if (body?.error_description === 'reuse detected') {
        const next = successor.get(sent);
        const avoidable = knownToOpenTab(next);
        reuses.push({
          refreshToken: sent,
          avoidable,
          detail: avoidable
            ? `${name} sent ${sent}, already rotated to ${next}, which an open tab had received`
            : `${name} sent ${sent}, already rotated to ${next}, which no open tab ever received`,
        });
      }
      if (gates.some((g) => g.kind === 'after')) {
        trace(`${elapsed()} ${name} /token ${sent} handled, the response waits (hold after)`);
        try {
          await gated('after', signal);
        } catch (error) {
          trace(
            `${elapsed()} ${name} /token ${sent}: response lost (aborted)${issued && ` with ${issued}`}`,
          );
          throw error;
        }
      }
      see(issued, instance);
      return response;
    }) as typeof globalThis.fetch;

  /** The hub's channel, noting the refresh tokens each instance receives. */
  const channelFor = (instance: number): BroadcastChannelConstructor =>
    class TabChannel implements ChannelLike {
      private readonly inner: ChannelLike;
      private readonly wrapped = new Map<Listener, Listener>();
      constructor(name: string) {
        this.inner = new hub.BroadcastChannel(name);
      }
      postMessage(message: unknown) {
        this.inner.postMessage(message);
      }
      addEventListener(type: 'message', listener: Listener) {
        const wrapped: Listener = (event) => {
          const tokens = (event.data as { tokens?: { refreshToken?: unknown } } | null)?.tokens;
          see(tokens?.refreshToken, instance);
          listener(event);
        };
        this.wrapped.set(listener, wrapped);
        this.inner.addEventListener(type, wrapped);
      }
      removeEventListener(type: 'message', listener: Listener) {
        const wrapped = this.wrapped.get(listener);
        if (!wrapped) return;
        this.wrapped.delete(listener);
        this.inner.removeEventListener(type, wrapped);
      }
      close() {
        this.inner.close();
      }
    };

  /** The shared LockManager as one tab sees it, tracing the refresh lock. */
  const locksFor = (name: string): LockManager => {
    const manager = locks.manager(name);
    return {
      request(lock: string, ...args: unknown[]) {
        const callback = args.pop() as (lock: Lock | null) => unknown;
        const lockOptions = (args[0] ?? {}) as LockOptions;
        if (!lock.endsWith(':refresh')) return manager.request(lock, lockOptions, callback);
        trace(`${elapsed()} ${name} requests the refresh lock`);
        const result = manager.request(lock, lockOptions, async (held: Lock | null) => {
          trace(`${elapsed()} ${name} ${held ? 'holds' : 'did not get'} the refresh lock`);
          try {
            return await callback(held);
          } finally {
            if (held) trace(`${elapsed()} ${name} releases the refresh lock`);
          }
        });
        result.catch((error: unknown) =>
          trace(`${elapsed()} ${name} gave up waiting for the refresh lock (${String(error)})`),
        );
        return result;
      },
      query: () => manager.query(),
    } as LockManager;
  };

  function create(name: string, sessionStorage: MemoryStorage, reloads: number): ModelTab {
    const win = new FakeWindow(ORIGIN);
    const instance = ++instances;
    live.add(instance);
    /** In the trace: `tab2`, then `tab2/r1` after its first reload, … */
    const traced = reloads > 0 ? `${name}/r${reloads}` : name;
    const session = createSession({
      refresh: `${ORIGIN}/token`,
      env: {
        fetch: fetchFor(instance, traced),
        window: win,
        localStorage,
        sessionStorage,
        BroadcastChannel: channelFor(instance),
        locks: options.without?.locks ? null : locksFor(traced),
        indexedDB: options.without?.indexedDB ? null : indexedDB,
        now,
        random,
      },
    });
    const tab: ModelTab = { name, instance, session, win, sessionStorage, reloads };
    options.onOpen?.(tab);
    return tab;
  }

  return {
    server,
    hub,
    locks,
    indexedDB,
    localStorage,
    /** The open tabs, in the order they were opened (a reloaded tab keeps its place). */
    tabs,
    now,
    elapsed,
    get skew() {
      return skew;
    },
    /** The channel gets slow: messages are delivered (in order) only `ms` from now. */
    slowChannel(ms: number) {
      hub.pause();
      pausedUntil = Math.max(pausedUntil ?? 0, Date.now() + ms);
      trace(`${elapsed()} channel paused for ${ms} ms`);
      setTimeout(() => {
        if (pausedUntil === null || Date.now() < pausedUntil) return;
        pausedUntil = null;
        trace(`${elapsed()} channel resumed`);
        hub.resume();
      }, ms);
    },
    get channelPaused() {
      return pausedUntil !== null;
    },
    /** The OS clock jumps by `ms` (the user or NTP changed it); timers are not affected. */
    jumpClock(ms: number) {
      skew += ms;
    },
    /** A new tab (memory storage, its own sessionStorage). */
    open(): ModelTab {
      const tab = create(`tab${++nextTab}`, new MemoryStorage(), 0);
      tabs.push(tab);
      return tab;
    },
    /** Destroy the tab's session and start a new one in its place (same sessionStorage). */
    reload(tab: ModelTab): ModelTab {
      live.delete(tab.instance);
      tab.session.destroy();
      const next = create(tab.name, tab.sessionStorage, tab.reloads + 1);
      tabs[tabs.indexOf(tab)] = next;
      return next;
    },
    close(tab: ModelTab) {
      live.delete(tab.instance);
      tab.session.destroy();
      tabs.splice(tabs.indexOf(tab), 1);
    },
    /** A login response for `user`, handed to `tab` (a new refresh-token chain). */
    login(tab: ModelTab, user: string) {
      const response = server.login(user);
      const family = ++families;
      familyOf.set(response.refresh_token, family);
      newestOf.set(family, response.refresh_token);
      latestFamily.set(user, family);
      see(response.refresh_token, tab.instance);
      return response;
    },
    /** Whether an open tab received the newest refresh token of `user`'s latest login. */
    chain(user: string): { alive: boolean; newest: string | undefined } {
      const family = latestFamily.get(user);
      const newest = family === undefined ? undefined : newestOf.get(family);
      return { alive: knownToOpenTab(newest), newest };
    },
    /** Every reuse the server detected, classified. */
    reuses,
    /** Requests sent by destroyed sessions. */
    afterDestroy,
    /** The token endpoint gets slow until `release(id)`; see the kinds above. */
    hold(kind: HoldKind): number {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      const gate: Gate = { id: ++nextGate, kind, promise, release: () => {} };
      gate.release = () => {
        const i = gates.indexOf(gate);
        if (i < 0) return;
        gates.splice(i, 1);
        trace(`${elapsed()} hold #${gate.id} (${kind}) released`);
        release();
      };
      gates.push(gate);
      return gate.id;
    },
    get holds() {
      return gates.length;
    },
    releaseOldest() {
      gates[0]?.release();
    },
    release(id: number) {
      gates.find((g) => g.id === id)?.release();
    },
    releaseAll() {
      for (const gate of [...gates]) gate.release();
    },
    /** The next refresh the server handles fails like this. */
    failNext(kind: FailureKind) {
      syncFailures();
      pendingFailures++;
      server.failNext(kind);
    },
    get pendingFailures() {
      return syncFailures();
    },
    /** Consume the injected failures nobody triggered (a request with an unknown token each). */
    async flushFailures() {
      while (syncFailures() > 0) {
        await server
          .fetch(`${ORIGIN}/token`, {
            method: 'POST',
            body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'flush' }),
          })
          .catch(() => null);
      }
    },
    /** Every tab, one line. */
    describe(): string {
      return tabs.map((t) => `${t.name}=${describeSnapshot(t.session.getSnapshot())}`).join(' ');
    },
    destroy() {
      live.clear();
      for (const tab of tabs.splice(0)) tab.session.destroy();
      for (const gate of [...gates]) gate.release();
    },
  };
}

export type ModelBrowser = ReturnType<typeof createModelBrowser>;

/**
 * Let `ms` of time pass, one timer at a time. After each timer the promises and IndexedDB tasks
 * (fake-indexeddb runs on the real `setImmediate`) settle: fully by default (12 rounds of
 * `settle`: IndexedDB answers before the next timer), or `lag` makes IndexedDB slow but bounded:
 * a random 0–12 rounds after each timer, and everything settles at most `lag.ms` later (fake
 * time), so IndexedDB work straddles the timers of those few ms. `finish`: settle fully at the end.
 */
export async function advance(
  ms: number,
  {
    lag,
    finish = true,
  }: { lag?: { random: () => number; ms: number } | undefined; finish?: boolean } = {},
) {
  const FULL = 12;
  if (ms > 0) {
    const target = Date.now() + ms;
    // Timers at the target and at each pump: the next timer is never beyond them.
    const timers = [setTimeout(() => {}, ms)];
    let pumpAt: number | null = null;
    const pump = () => {
      if (!lag || pumpAt !== null) return;
      const delay = 1 + Math.floor(lag.random() * lag.ms);
      pumpAt = Date.now() + delay;
      timers.push(setTimeout(() => {}, delay));
    };
    // IndexedDB work left by the previous command completes now, or within `lag.ms`.
    if (lag) pump();
    else await settle(FULL);
    let steps = 0;
    while (Date.now() < target) {
      await vi.advanceTimersToNextTimerAsync();
      if (!lag || (pumpAt !== null && Date.now() >= pumpAt)) {
        pumpAt = null;
        await settle(FULL);
      } else {
        const rounds = Math.floor(lag.random() * (FULL + 1));
        if (rounds > 0) await settle(rounds);
        if (rounds < FULL) pump();
      }
      if (++steps > 20_000) {
        for (const timer of timers) clearTimeout(timer);
        throw new Error(`Timer storm: more than 20000 timers fired within ${ms} ms`);
      }
    }
    for (const timer of timers) clearTimeout(timer);
  }
  if (finish) await settle();
}
