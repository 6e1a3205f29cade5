/**
 * A LockManager for tests (happy-dom has none): exclusive and shared modes, `ifAvailable`,
 * `steal`, `signal`, and `query()`. A lock is released when its callback's promise settles.
 */
interface Pending {
  name: string;
  mode: LockMode;
  clientId: string;
  grant: () => void;
}

export function createLockManager() {
  const held: { name: string; mode: LockMode; clientId: string }[] = [];
  const pending: Pending[] = [];
  let grants = 0;

  const canGrant = (name: string, mode: LockMode) =>
    !held.some((l) => l.name === name && (l.mode === 'exclusive' || mode === 'exclusive'));

  function pump() {
    for (const p of [...pending]) {
      // Locks are granted in request order per name.
      const first = pending.find((q) => q.name === p.name);
      if (first !== p) continue;
      if (canGrant(p.name, p.mode)) {
        pending.splice(pending.indexOf(p), 1);
        p.grant();
      }
    }
  }

  function manager(clientId = 'client'): LockManager {
    return {
      request(name: string, ...args: unknown[]): Promise<unknown> {
        const callback = args.pop() as (lock: Lock | null) => unknown;
        const options = (args[0] ?? {}) as LockOptions;
        const mode = options.mode ?? 'exclusive';
        return new Promise((resolve, reject) => {
          const run = () => {
            const lock = { name, mode, clientId };
            held.push(lock);
            grants++;
            Promise.resolve()
              .then(() => callback(lock as unknown as Lock))
              .then(resolve, reject)
              .finally(() => {
                held.splice(held.indexOf(lock), 1);
                pump();
              });
          };
          if (options.signal?.aborted) return reject(options.signal.reason);
          if (options.ifAvailable) {
            if (canGrant(name, mode) && !pending.some((p) => p.name === name)) run();
            else Promise.resolve(callback(null)).then(resolve, reject);
            return;
          }
          const entry: Pending = { name, mode, clientId, grant: run };
          pending.push(entry);
          options.signal?.addEventListener('abort', () => {
            const i = pending.indexOf(entry);
            if (i >= 0) {
              pending.splice(i, 1);
              reject(options.signal?.reason);
            }
          });
          pump();
        });
      },
      async query() {
        return {
          held: held.map((l) => ({ ...l })),
          pending: pending.map(({ name, mode, clientId }) => ({ name, mode, clientId })),
        } as LockManagerSnapshot;
      },
    } as LockManager;
  }

  return {
    /** A LockManager for one tab; `clientId` shows in `query()`. */
    manager,
    get held() {
      return held.map((l) => l.name);
    },
    get pending() {
      return pending.map((p) => p.name);
    },
    get grants() {
      return grants;
    },
  };
}
