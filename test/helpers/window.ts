import type { EnvWindow } from '../../src/lib/env';

type Listener = (event: Event) => void;
type Options = boolean | AddEventListenerOptions | EventListenerOptions | undefined;

/** An EventTarget that keys listeners the way a browser does (type, listener, capture) and counts them. */
class CountingTarget {
  readonly target = new EventTarget();
  private readonly added = new Map<string, { type: string; options: Options }>();
  private readonly ids = new WeakMap<Listener, number>();
  private nextId = 0;

  private key(type: string, listener: Listener, options: Options) {
    const capture = typeof options === 'boolean' ? options : Boolean(options?.capture);
    let id = this.ids.get(listener);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(listener, id);
    }
    return `${type}|${id}|${capture}`;
  }
  add = (type: string, listener: Listener, options?: Options) => {
    const key = this.key(type, listener, options);
    if (this.added.has(key)) return; // a browser ignores the same listener added twice
    this.added.set(key, { type, options });
    this.target.addEventListener(type, listener, options);
  };
  remove = (type: string, listener: Listener, options?: Options) => {
    if (this.added.delete(this.key(type, listener, options))) {
      this.target.removeEventListener(type, listener, options);
    }
  };
  entries(type?: string) {
    return [...this.added.values()].filter((l) => type === undefined || l.type === type);
  }
}

/**
 * An event as the browser makes it for a real user: `isTrusted` is `true`. (Node's `Event` has
 * a prototype getter that says `false`, happy-dom's has none: an own property overrides both.)
 */
export function userEvent(type: string, init?: EventInit): Event {
  return Object.defineProperty(new Event(type, init), 'isTrusted', { value: true });
}

/** An event as a script makes it (`new Event()` + `dispatchEvent`): `isTrusted` is `false`. */
export function scriptEvent(type: string, init?: EventInit): Event {
  return Object.defineProperty(new Event(type, init), 'isTrusted', { value: false });
}

/**
 * A window for an injected env: a document (visibility), navigator (online) and location, helpers
 * to make the page hidden, offline, or wake it, and counted listeners (to prove that `stop()` or
 * `destroy()` removed every one of them).
 */
export class FakeWindow implements EnvWindow {
  private readonly win = new CountingTarget();
  private readonly doc = new CountingTarget();
  private visibility: DocumentVisibilityState = 'visible';
  readonly navigator = { onLine: true };
  readonly location: { origin: string; href: string };
  readonly addEventListener = this.win.add;
  readonly removeEventListener = this.win.remove;
  readonly document: NonNullable<EnvWindow['document']> & {
    readonly visibilityState: DocumentVisibilityState;
  };

  constructor(origin = 'https://app.test') {
    this.location = { origin, href: `${origin}/` };
    const visibility = () => this.visibility;
    this.document = {
      get visibilityState() {
        return visibility();
      },
      addEventListener: this.doc.add,
      removeEventListener: this.doc.remove,
    };
  }

  /** This object, for helpers that hand out `{ window }`. */
  get window(): EnvWindow {
    return this;
  }
  dispatchEvent(event: Event): boolean {
    return this.win.target.dispatchEvent(event);
  }
  /**
   * Fire an event as the browser does for a real user (`isTrusted: true`), on the document for
   * `visibilitychange`, else on the window. Bound.
   */
  readonly fire = (type: string) => this.send(userEvent(type));
  /** Fire an event as a script does (`isTrusted: false`), like {@link fire}. Bound. */
  readonly fireSynthetic = (type: string) => this.send(scriptEvent(type));
  private send(event: Event): void {
    (event.type === 'visibilitychange' ? this.doc : this.win).target.dispatchEvent(event);
  }
  setVisibility(state: DocumentVisibilityState) {
    this.visibility = state;
    this.fire('visibilitychange');
  }
  setVisible(visible: boolean) {
    this.setVisibility(visible ? 'visible' : 'hidden');
  }
  setOnline(online: boolean) {
    this.navigator.onLine = online;
    this.fire(online ? 'online' : 'offline');
  }
  /** Listeners on the window and its document (of one type, or all). */
  listenerCount(type?: string): number {
    return this.win.entries(type).length + this.doc.entries(type).length;
  }
  /** Listeners by `window:<type>` / `document:<type>`. */
  listeners(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [name, target] of [
      ['window', this.win],
      ['document', this.doc],
    ] as const) {
      for (const { type } of target.entries())
        counts[`${name}:${type}`] = (counts[`${name}:${type}`] ?? 0) + 1;
    }
    return counts;
  }
  /** The options each window listener of `type` was added with. */
  optionsOf(type: string): unknown[] {
    return this.win.entries(type).map((l) => l.options);
  }
}
