import type { EnvWindow } from '../../src/env';

/**
 * A window for the session's env: an EventTarget with a document (visibility), navigator
 * (online) and location, and helpers to simulate the page going hidden, offline, or waking.
 */
export class FakeWindow extends EventTarget implements EnvWindow {
  readonly document = Object.assign(new EventTarget(), {
    visibilityState: 'visible' as DocumentVisibilityState,
  });
  readonly navigator = { onLine: true };
  readonly location: { origin: string; href: string };
  private counts = new Map<string, number>();

  constructor(origin = 'https://app.test') {
    super();
    this.location = { origin, href: `${origin}/` };
    for (const target of [this, this.document] as EventTarget[]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      target.addEventListener = (
        type: string,
        ...rest: [EventListenerOrEventListenerObject | null, ...unknown[]]
      ) => {
        this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
        add(type, ...(rest as [EventListenerOrEventListenerObject | null]));
      };
      target.removeEventListener = (
        type: string,
        ...rest: [EventListenerOrEventListenerObject | null, ...unknown[]]
      ) => {
        this.counts.set(type, (this.counts.get(type) ?? 0) - 1);
        remove(type, ...(rest as [EventListenerOrEventListenerObject | null]));
      };
    }
  }

  /** Listeners currently attached (window + document), to prove `destroy()` removed them all. */
  get listenerCount(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  setVisible(visible: boolean) {
    this.document.visibilityState = visible ? 'visible' : 'hidden';
    this.document.dispatchEvent(new Event('visibilitychange'));
  }
  setOnline(online: boolean) {
    this.navigator.onLine = online;
    this.dispatchEvent(new Event(online ? 'online' : 'offline'));
  }
  fire(type: string) {
    if (type === 'visibilitychange') this.document.dispatchEvent(new Event(type));
    else this.dispatchEvent(new Event(type));
  }
}
