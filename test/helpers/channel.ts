import type { BroadcastChannelConstructor, ChannelLike } from '../../src/lib/env';

type Listener = (event: { data: unknown }) => void;

/**
 * An in-memory BroadcastChannel shared by the sessions of one test ("tabs" in one process).
 * Like the real one: delivery is asynchronous (a microtask), data is structured-cloned, and a
 * channel does not receive its own messages. `hub.sent` records every message.
 */
export function createChannelHub() {
  const channels = new Set<MemoryChannel>();
  const sent: { name: string; data: unknown }[] = [];
  let paused = false;
  const backlog: (() => void)[] = [];

  class MemoryChannel implements ChannelLike {
    readonly listeners = new Set<Listener>();
    closed = false;
    constructor(readonly name: string) {
      channels.add(this);
    }
    postMessage(message: unknown): void {
      if (this.closed) throw new DOMException('Channel is closed', 'InvalidStateError');
      const data = structuredClone(message);
      sent.push({ name: this.name, data });
      const deliver = () => {
        for (const channel of channels) {
          if (channel === this || channel.closed || channel.name !== this.name) continue;
          for (const listener of [...channel.listeners]) listener({ data: structuredClone(data) });
        }
      };
      if (paused) backlog.push(deliver);
      else queueMicrotask(deliver);
    }
    addEventListener(_type: 'message', listener: Listener): void {
      this.listeners.add(listener);
    }
    removeEventListener(_type: 'message', listener: Listener): void {
      this.listeners.delete(listener);
    }
    close(): void {
      this.closed = true;
      channels.delete(this);
    }
    get listenerCount() {
      return this.listeners.size;
    }
  }

  return {
    BroadcastChannel: MemoryChannel as unknown as BroadcastChannelConstructor,
    sent,
    /** Open channels (a destroyed session must leave none). */
    get open() {
      return [...channels];
    },
    /** Hold deliveries (to simulate a slow channel) until `resume()`. */
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const deliver of backlog.splice(0)) queueMicrotask(deliver);
    },
    /** Send a raw message as if from another tab (to test validation). */
    inject(name: string, data: unknown) {
      for (const channel of channels) {
        if (channel.name !== name) continue;
        for (const listener of [...channel.listeners]) listener({ data });
      }
    },
  };
}
