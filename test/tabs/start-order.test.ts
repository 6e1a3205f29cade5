import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDpop } from '../../src/dpop';
import type { BroadcastChannelConstructor } from '../../src/lib/env';
import { useFakeClock } from '../helpers/session';
import { MemoryStorage } from '../helpers/storage';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/**
 * A new tab's answer takes a round trip through the browser (another process): the question is
 * posted before the tab does anything else that waits on the browser, so the round trip overlaps
 * with the rest of its start.
 */
describe('the start of a new tab', () => {
  it('posts its question before it reads storage, and queries the locks after its start', async () => {
    const browser = createBrowser({ accessTtlS: 600 });
    const open = browser.open();
    await open.session.login(browser.server.login('alice'));
    await settle();

    const order: string[] = [];
    const Channel = browser.hub.BroadcastChannel;
    class LoggedChannel extends (Channel as unknown as new (
      name: string,
    ) => {
      postMessage(message: unknown): void;
    }) {
      override postMessage(message: unknown) {
        order.push(`post ${(message as { type: string }).type}`);
        super.postMessage(message);
      }
    }
    const storage = new MemoryStorage();
    const getItem = storage.getItem.bind(storage);
    storage.getItem = (key: string) => {
      order.push('read storage');
      return getItem(key);
    };
    const locks = browser.locks.manager('new-tab');
    const query = locks.query.bind(locks);
    locks.query = () => {
      order.push('query locks');
      return query();
    };
    const next = browser.open({
      env: {
        BroadcastChannel: LoggedChannel as unknown as BroadcastChannelConstructor,
        localStorage: storage,
        locks,
      },
    });
    expect(order[0]).toBe('post ask');
    expect(order).toContain('read storage');
    // The presence query comes once the start's task is done.
    expect(order).not.toContain('query locks');
    await Promise.resolve();
    expect(order).toContain('query locks');
    await settle();
    expect(next.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
  });

  it('a tab that restores its tokens from storage writes nothing back, and takes its locks after its start', async () => {
    const browser = createBrowser({ accessTtlS: 600 });
    const open = browser.open({ storage: 'local' });
    await open.session.login(browser.server.login('alice'));
    await settle();

    const requested: string[] = [];
    const locks = browser.locks.manager('new-tab');
    const request = locks.request.bind(locks) as (...args: unknown[]) => Promise<unknown>;
    locks.request = ((name: string, ...rest: unknown[]) => {
      requested.push(name);
      return request(name, ...rest);
    }) as LockManager['request'];
    const writes = browser.localStorage.writes;
    const next = browser.open({ storage: 'local', env: { locks } });
    expect(next.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
    expect(browser.localStorage.writes).toBe(writes);
    expect(requested).toEqual([]);
    await Promise.resolve();
    expect(requested).toEqual(['sessionkeeper:presence', 'sessionkeeper:leader']);
    await settle();
    expect(browser.localStorage.writes).toBe(writes);
  });

  it('a module that refuses to connect leaves no channel open and no question out', async () => {
    const browser = createBrowser({ accessTtlS: 600 });
    const dpop = createDpop();
    browser.open({ dpop });
    const before = browser.hub.sent.length;
    // A DPoP module can serve one session only: the second one is refused with a TypeError.
    expect(() => browser.open({ dpop })).toThrow(TypeError);
    expect(browser.hub.open).toHaveLength(1);
    expect(browser.hub.sent.slice(before)).toEqual([]);
  });
});
