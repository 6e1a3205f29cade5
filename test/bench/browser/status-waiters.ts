import type { SessionStatus } from 'sessionkeeper';

/**
 * A bench page's status waits: `whenStatus(status)` resolves when `current()` is `status`, now or
 * at a later `changed()` (which the page calls after every change of its status).
 */
export function statusWaiters(current: () => SessionStatus) {
  const waiters = new Set<() => void>();
  return {
    changed() {
      for (const waiter of [...waiters]) waiter();
    },
    whenStatus: (status: SessionStatus) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (current() !== status) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}
