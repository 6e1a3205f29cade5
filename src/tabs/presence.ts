/**
 * "A signed-in tab is open" and "this tab leads". Every signed-in tab holds a shared Web Lock
 * (presence) and queues for an exclusive one (leadership); the browser releases both when the
 * tab goes away (closed, crashed, discarded) and hands the leadership to the next tab in line,
 * so there is no registry to clean up and no goodbye message to miss. A new tab asks `query()`
 * whether anyone is present. The leader plans the refresh for all tabs and answers new tabs;
 * the others only keep a fallback. Without Web Locks every tab leads (each on its own).
 * @param onLeading called when this tab becomes the leader.
 */
export function createPresence(locks: LockManager | null, name: string, onLeading: () => void) {
  let release: (() => void) | null = null;
  let queued: AbortController | null = null;
  let leading = false;
  /** A join planned for the end of the current task. */
  let joining = false;

  const join = () => {
    if (!locks) return;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const line = new AbortController();
    queued = line;
    locks.request(`${name}:presence`, { mode: 'shared' }, () => held).catch(() => {});
    locks
      .request(`${name}:leader`, { signal: line.signal }, () => {
        if (queued !== line) return; // signed out meanwhile: let go at once
        leading = true;
        onLeading();
        return held;
      })
      .catch(() => {}); // the wait was given up at a sign-out
  };

  return {
    /**
     * Signed in: join once the current task is done (a new tab's first use of Web Locks costs
     * it ms, which then come after its first screen and request, not before). Signed out: leave
     * at once.
     */
    set(signedIn: boolean) {
      if (!locks) return;
      if (signedIn) {
        if (release !== null || joining) return;
        joining = true;
        queueMicrotask(() => {
          if (!joining) return; // signed out meanwhile
          joining = false;
          join();
        });
        return;
      }
      joining = false;
      release?.();
      release = null;
      queued?.abort();
      queued = null;
      leading = false;
    },
    /** Does this tab lead (it plans the refresh and answers new tabs)? */
    isLeader: () => !locks || leading,
    /** Does another tab (not this one) hold the presence lock? */
    async othersOpen(): Promise<boolean> {
      if (!locks) return false;
      try {
        const { held = [] } = await locks.query();
        const count = held.filter((lock) => lock.name === `${name}:presence`).length;
        return count > (release ? 1 : 0);
      } catch {
        return false;
      }
    },
  };
}
