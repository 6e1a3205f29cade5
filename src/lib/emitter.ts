/** A set of listeners (`subscribe` for `useSyncExternalStore`); `subscribe` returns its own remover. */
export interface Listeners<T = void> {
  subscribe(listener: (value: T) => void): () => void;
  /** Call every listener; one that throws does not break the caller (its error is rethrown on its own). */
  notify(value: T): void;
  clear(): void;
}

export function createListeners<T = void>(): Listeners<T> {
  // Entries wrap the function, so subscribing the same function twice gives two subscriptions.
  const set = new Set<{ fn: (value: T) => void }>();
  return {
    subscribe(fn) {
      const entry = { fn };
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    notify(value) {
      for (const entry of [...set]) {
        try {
          entry.fn(value);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
    clear: () => set.clear(),
  };
}

/** A typed event emitter: `on` returns its own remover. */
export interface Emitter<Events extends object> {
  on<K extends keyof Events>(type: K, handler: (event: Events[K]) => void): () => void;
  emit<K extends keyof Events>(type: K, event: Events[K]): void;
  clear(): void;
}

export function createEmitter<Events extends object>(): Emitter<Events> {
  // biome-ignore lint/suspicious/noExplicitAny: each type's listeners take that type's event
  const byType = new Map<keyof Events, Listeners<any>>();
  return {
    on(type, handler) {
      const listeners = byType.get(type) ?? createListeners();
      byType.set(type, listeners);
      return listeners.subscribe(handler);
    },
    emit: (type, event) => byType.get(type)?.notify(event),
    clear: () => byType.clear(),
  };
}
