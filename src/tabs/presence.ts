/**
 * "A signed-in tab is open": every signed-in tab holds a shared Web Lock, which the browser
 * releases when the tab goes away (closed, crashed, discarded), so there is no registry to clean
 * up and no goodbye message to miss. A new tab asks `query()` whether anyone holds it.
 */
export function createPresence(locks: LockManager | null, name: string) {
  let release: (() => void) | null = null;
  return {
    set(signedIn: boolean) {
      if (!locks || signedIn === (release !== null)) return;
      if (!signedIn) {
        release?.();
        release = null;
        return;
      }
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      locks.request(name, { mode: 'shared' }, () => held).catch(() => {});
    },
    /** Does another tab (not this one) hold the presence lock? */
    async othersOpen(): Promise<boolean> {
      if (!locks) return false;
      try {
        const { held = [] } = await locks.query();
        const count = held.filter((lock) => lock.name === name).length;
        return count > (release ? 1 : 0);
      } catch {
        return false;
      }
    },
  };
}
