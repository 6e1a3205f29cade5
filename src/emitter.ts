/** A listener that throws must not break the caller: its error is rethrown on its own. */
function report(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** A typed event emitter: `on` returns its own remover. */
export interface Emitter<Events extends object> {
  on<K extends keyof Events>(type: K, handler: (event: Events[K]) => void): () => void;
  emit<K extends keyof Events>(type: K, event: Events[K]): void;
  clear(): void;
}

export function createEmitter<Events extends object>(): Emitter<Events> {
  const handlers = new Map<keyof Events, Set<(event: never) => void>>();
  return {
    on(type, handler) {
      let set = handlers.get(type);
      if (!set) {
        set = new Set();
        handlers.set(type, set);
      }
      // Wrapped so that adding the same function twice gives two independent subscriptions.
      const entry = (event: never) => handler(event);
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    emit(type, event) {
      const set = handlers.get(type);
      if (!set) return;
      for (const handler of [...set]) {
        try {
          (handler as (event: Events[typeof type]) => void)(event);
        } catch (error) {
          report(error);
        }
      }
    },
    clear() {
      handlers.clear();
    },
  };
}

/** A set of change listeners (`subscribe` for `useSyncExternalStore`). */
export interface Listeners {
  subscribe(listener: () => void): () => void;
  notify(): void;
  readonly size: number;
  clear(): void;
}

export function createListeners(): Listeners {
  const set = new Set<{ fn: () => void }>();
  return {
    subscribe(fn) {
      const entry = { fn };
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    notify() {
      for (const entry of [...set]) {
        try {
          entry.fn();
        } catch (error) {
          report(error);
        }
      }
    },
    get size() {
      return set.size;
    },
    clear() {
      set.clear();
    },
  };
}
