/** How many times each of two components rendered (committed) during the last count. */
export interface RenderCounts {
  /** The component that reads only `status`: `useSession((s) => s.status)`. */
  readonly selector: number;
  /** The component that reads the whole snapshot: `useSession()`. */
  readonly whole: number;
}

/** Counts the renders of two components between `start()` and `stop()`; a store for React. */
export interface RenderCounter {
  /** Count from zero, from now on. */
  start(): void;
  /** Stop counting; the counts stay as they are. */
  stop(): void;
  /** A component committed a render (call it from an effect that runs after every render). */
  rendered(component: keyof RenderCounts): void;
  /** The counts, `null` before the first `start()`; a new object at each change. */
  read(): RenderCounts | null;
  subscribe(listener: () => void): () => void;
}

export function createRenderCounter(): RenderCounter {
  let counts: RenderCounts | null = null;
  let counting = false;
  const listeners = new Set<() => void>();
  const set = (next: RenderCounts) => {
    counts = next;
    for (const listener of listeners) listener();
  };
  return {
    start() {
      counting = true;
      set({ selector: 0, whole: 0 });
    },
    stop() {
      counting = false;
    },
    rendered(component) {
      if (counting && counts) set({ ...counts, [component]: counts[component] + 1 });
    },
    read: () => counts,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
