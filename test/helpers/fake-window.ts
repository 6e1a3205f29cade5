import type { EnvWindow } from '../../src/env';

type Listener = (event: Event) => void;

/** An EventTarget that counts its listeners the way a browser keys them: type, listener, capture. */
class CountingTarget {
  readonly target = new EventTarget();
  readonly keys = new Map<string, { type: string; listener: Listener; options: unknown }>();
  private nextId = 0;
  private readonly ids = new WeakMap<Listener, number>();

  private key(type: string, listener: Listener, options?: boolean | EventListenerOptions) {
    const capture = typeof options === 'boolean' ? options : Boolean(options?.capture);
    let id = this.ids.get(listener);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(listener, id);
    }
    return `${type}|${id}|${capture}`;
  }
  addEventListener = (
    type: string,
    listener: Listener,
    options?: boolean | AddEventListenerOptions,
  ): void => {
    const key = this.key(type, listener, options);
    if (this.keys.has(key)) return;
    this.keys.set(key, { type, listener, options });
    this.target.addEventListener(type, listener, options);
  };
  removeEventListener = (
    type: string,
    listener: Listener,
    options?: boolean | EventListenerOptions,
  ): void => {
    const key = this.key(type, listener, options);
    if (!this.keys.delete(key)) return;
    this.target.removeEventListener(type, listener, options);
  };
  /** Listeners of one type, or of every type. */
  count(type?: string): number {
    return [...this.keys.values()].filter((l) => type === undefined || l.type === type).length;
  }
  /** The options a listener of `type` was added with. */
  optionsOf(type: string): unknown[] {
    return [...this.keys.values()].filter((l) => l.type === type).map((l) => l.options);
  }
  fire(type: string): void {
    this.target.dispatchEvent(new Event(type));
  }
}

/**
 * A window for an injected env: counts listeners (a stopped timer must leave none) and has a
 * document whose `visibilityState` the test sets.
 */
export function createFakeWindow() {
  const win = new CountingTarget();
  const doc = new CountingTarget();
  let visibility: 'visible' | 'hidden' = 'visible';
  const document = {
    get visibilityState() {
      return visibility;
    },
    addEventListener: doc.addEventListener,
    removeEventListener: doc.removeEventListener,
  };
  const window: EnvWindow = {
    addEventListener: win.addEventListener,
    removeEventListener: win.removeEventListener,
    document,
  };
  return {
    window,
    /** Fire an event on the window (activity, `focus`, `pageshow`). */
    fire: (type: string) => win.fire(type),
    /** Change the visibility and fire `visibilitychange` on the document. */
    setVisibility(state: 'visible' | 'hidden') {
      visibility = state;
      doc.fire('visibilitychange');
    },
    /** Listeners on the window and its document. */
    listenerCount: (type?: string) => win.count(type) + doc.count(type),
    optionsOf: (type: string) => win.optionsOf(type),
  };
}

export type FakeWindow = ReturnType<typeof createFakeWindow>;
