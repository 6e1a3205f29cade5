/** What a bench page did, counted by {@link installCounters} since the page started. */
export interface PageCounters {
  /** `setTimeout` calls, and the callbacks that ran (a wake-up each), and `clearTimeout` calls. */
  timersSet: number;
  timersFired: number;
  timersCleared: number;
  /** `setInterval` calls and the callbacks they ran. */
  intervalsSet: number;
  intervalFires: number;
  /** `navigator.locks.request()` calls by lock name, and the callbacks run (locks granted). */
  lockRequests: Record<string, number>;
  lockGrants: number;
  /** `navigator.locks.query()` calls and how long each took to answer, in ms. */
  lockQueries: number;
  queryMs: number[];
  /** BroadcastChannel messages posted and delivered, by message `type`. */
  messagesOut: Record<string, number>;
  messagesIn: Record<string, number>;
  /** `performance.now()` when this page first posted an `ask`, and when an `answer` arrived. */
  askAt: number | null;
  answerAt: number | null;
  /** Asks and answers sent and received, with their wall-clock time (`timeOrigin` + now, ms). */
  questionLog: { type: string; dir: 'in' | 'out'; at: number }[];
  /** `fetch()` calls by path. */
  fetches: Record<string, number>;
  /** `indexedDB.open()` calls and transactions started. */
  idbOpens: number;
  idbTransactions: number;
}

declare global {
  interface Window {
    __counters: PageCounters;
  }
}

/**
 * Runs in every page before its own scripts (`context.addInitScript`): wraps the timers, the Web
 * Locks, BroadcastChannel, fetch and IndexedDB to count what the page does with them. Nothing it
 * wraps changes behaviour. Self-contained: Playwright sends its source text to the page.
 */
export function installCounters(): void {
  const counters: PageCounters = {
    timersSet: 0,
    timersFired: 0,
    timersCleared: 0,
    intervalsSet: 0,
    intervalFires: 0,
    lockRequests: {},
    lockGrants: 0,
    lockQueries: 0,
    queryMs: [],
    messagesOut: {},
    messagesIn: {},
    askAt: null,
    answerAt: null,
    questionLog: [],
    fetches: {},
    idbOpens: 0,
    idbTransactions: 0,
  };
  window.__counters = counters;
  const bump = (record: Record<string, number>, key: string) => {
    record[key] = (record[key] ?? 0) + 1;
  };
  const typeOf = (data: unknown) =>
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { type?: unknown }).type === 'string'
      ? (data as { type: string }).type
      : 'other';

  const setTimeoutOriginal = window.setTimeout as (...args: unknown[]) => number;
  const clearTimeoutOriginal = window.clearTimeout;
  const setIntervalOriginal = window.setInterval as (...args: unknown[]) => number;
  type TimerArgs = Parameters<typeof window.setTimeout>;
  window.setTimeout = ((handler: TimerArgs[0], ms?: number, ...args: unknown[]) => {
    counters.timersSet++;
    const run =
      typeof handler === 'function'
        ? (...callArgs: unknown[]) => {
            counters.timersFired++;
            (handler as (...a: unknown[]) => void)(...callArgs);
          }
        : handler;
    return setTimeoutOriginal.call(window, run, ms, ...args);
  }) as typeof window.setTimeout;
  window.clearTimeout = ((id?: number) => {
    counters.timersCleared++;
    clearTimeoutOriginal.call(window, id);
  }) as typeof window.clearTimeout;
  window.setInterval = ((handler: TimerArgs[0], ms?: number, ...args: unknown[]) => {
    counters.intervalsSet++;
    const run =
      typeof handler === 'function'
        ? (...callArgs: unknown[]) => {
            counters.intervalFires++;
            (handler as (...a: unknown[]) => void)(...callArgs);
          }
        : handler;
    return setIntervalOriginal.call(window, run, ms, ...args);
  }) as typeof window.setInterval;

  if (typeof LockManager === 'function') {
    const proto = LockManager.prototype;
    const request = proto.request as (this: LockManager, ...args: unknown[]) => Promise<unknown>;
    const query = proto.query;
    proto.request = function (this: LockManager, ...args: unknown[]) {
      bump(counters.lockRequests, String(args[0]));
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (lock: unknown) => {
          counters.lockGrants++;
          return (callback as (lock: unknown) => unknown)(lock);
        };
      }
      return request.apply(this, args);
    } as LockManager['request'];
    proto.query = function (this: LockManager) {
      counters.lockQueries++;
      const started = performance.now();
      const answer = query.call(this);
      void answer.then(
        () => counters.queryMs.push(performance.now() - started),
        () => {},
      );
      return answer;
    };
  }

  const logQuestion = (type: string, dir: 'in' | 'out') => {
    if (type === 'ask' || type === 'answer') {
      counters.questionLog.push({ type, dir, at: performance.timeOrigin + performance.now() });
    }
  };
  const Channel = window.BroadcastChannel;
  const postMessage = Channel.prototype.postMessage;
  Channel.prototype.postMessage = function (this: BroadcastChannel, message: unknown) {
    const type = typeOf(message);
    bump(counters.messagesOut, type);
    if (type === 'ask' && counters.askAt === null) counters.askAt = performance.now();
    logQuestion(type, 'out');
    postMessage.call(this, message);
  };
  window.BroadcastChannel = class extends Channel {
    constructor(name: string) {
      super(name);
      super.addEventListener('message', (event) => {
        const type = typeOf(event.data);
        bump(counters.messagesIn, type);
        if (type === 'answer' && counters.answerAt === null) counters.answerAt = performance.now();
        logQuestion(type, 'in');
      });
    }
  };

  const fetchOriginal = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    bump(counters.fetches, new URL(url, location.href).pathname);
    return fetchOriginal.call(window, input, init);
  };

  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (this: IDBFactory, ...args: [string, number?]) {
    counters.idbOpens++;
    return open.apply(this, args);
  };
  const transaction = IDBDatabase.prototype.transaction as (
    this: IDBDatabase,
    ...args: unknown[]
  ) => IDBTransaction;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: unknown[]) {
    counters.idbTransactions++;
    return transaction.apply(this, args);
  } as IDBDatabase['transaction'];
}
