import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/tabs/messages';
import { useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

describe('sign-in state shared between tabs', () => {
  it('a login in one tab signs in the others', async () => {
    const browser = createBrowser();
    const [a, b, c] = [browser.open(), browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    for (const tab of [b, c]) {
      expect(tab.session.getSnapshot()).toMatchObject({
        status: 'authenticated',
        user: { id: 'alice' },
      });
      expect(tab.ofType('login')).toEqual([
        { user: expect.objectContaining({ id: 'alice' }), remote: true },
      ]);
    }
    expect(browser.server.counts.refresh).toBe(0);
  });

  it('logout in one tab signs out every tab', async () => {
    const browser = createBrowser();
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    await b.session.logout();
    await settle();
    expect(a.session.getSnapshot()).toMatchObject({ status: 'anonymous', user: null });
    expect(a.ofType('logout')).toEqual([
      { user: expect.objectContaining({ id: 'alice' }), remote: true },
    ]);
  });

  it('expire in one tab expires all, with the reason and remote: true', async () => {
    const browser = createBrowser();
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    a.session.expire('idle');
    await settle();
    expect(b.session.getSnapshot()).toMatchObject({
      status: 'expired',
      reason: 'idle',
      user: { id: 'alice' },
    });
    expect(b.ofType('expired')).toEqual([{ reason: 'idle', remote: true }]);
  });

  it('a login in one tab replays the same user’s held requests in another', async () => {
    const browser = createBrowser();
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    a.session.expire();
    await settle();
    const held = b.session.fetch('https://app.test/api/orders', {
      method: 'POST',
      body: 'order-1',
    });
    await settle();
    expect(b.session.getSnapshot().pendingRequests).toBe(1);
    await a.session.login(browser.server.login('alice'));
    await settle();
    const response = await held;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: 'alice', body: 'order-1' });
  });

  it('a login of another user in one tab rejects the held requests in the others, unsent', async () => {
    const browser = createBrowser();
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    a.session.expire();
    await settle();
    const held = b.session.fetch('https://app.test/api/orders', {
      method: 'POST',
      body: 'alice-order',
    });
    const outcome = held.catch((error: unknown) => error);
    await settle();
    await a.session.login(browser.server.login('bob'));
    await settle();
    expect(await outcome).toMatchObject({ code: 'SESSION_EXPIRED', reason: 'user-changed' });
    expect(browser.server.requests.some((r) => r.body === 'alice-order')).toBe(false);
  });

  it('a new tab with memory storage is signed in at once by an open tab, without a refresh', async () => {
    const browser = createBrowser();
    const a = browser.open();
    await a.session.login(browser.server.login('alice'));
    await settle();
    const b = browser.open();
    expect(b.session.getSnapshot().status).toBe('initializing');
    const token = b.session.getAccessToken(); // waits for the answer
    await settle();
    expect(b.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
    expect(await token).toBe(await a.session.getAccessToken());
    expect(browser.server.counts.refresh).toBe(0);
    expect(browser.localStorage.dump()).not.toContain('rt-'); // tokens never touched web storage
    expect(b.ofType('login')).toEqual([]); // a restore, not a login
  });

  it('a new tab starts anonymous at once when no signed-in tab is open', async () => {
    const browser = createBrowser();
    const a = browser.open();
    await settle();
    expect(a.session.getSnapshot().status).toBe('anonymous');
    const b = browser.open();
    await settle();
    expect(b.session.getSnapshot().status).toBe('anonymous');
  });

  it('a signed-out tab that closes leaves nothing behind (no registry to clean up)', async () => {
    const browser = createBrowser();
    const a = browser.open();
    await a.session.login(browser.server.login('alice'));
    await settle();
    a.session.destroy();
    await settle();
    expect(browser.locks.held).toEqual([]);
    expect(browser.hub.open).toHaveLength(0);
    const b = browser.open();
    await settle();
    expect(b.session.getSnapshot().status).toBe('anonymous');
  });
});

describe('messages are validated and ordered', () => {
  const channelName = 'sessionkeeper';

  it('ignores malformed, unknown and other-version messages', async () => {
    const browser = createBrowser();
    const a = browser.open();
    await a.session.login(browser.server.login('alice'));
    await settle();
    const before = a.session.getSnapshot();
    for (const data of [
      null,
      'logout',
      42,
      { type: 'signout', kind: 'logout', stamp: Date.now() + 1 },
      { v: 1, from: 'x', type: 'signout', kind: 'logout', stamp: Date.now() + 1 },
      { v: PROTOCOL_VERSION, from: 'x', type: 'nuke' },
      {
        v: PROTOCOL_VERSION,
        from: 'x',
        type: 'signout',
        kind: 'everything',
        stamp: Date.now() + 1,
      },
      {
        v: PROTOCOL_VERSION,
        from: 'x',
        type: 'tokens',
        kind: 'login',
        tokens: { accessToken: 'forged' },
      },
      { v: PROTOCOL_VERSION, from: 'x', type: 'signout', kind: 'logout', stamp: 'now' },
    ]) {
      browser.hub.inject(channelName, data);
    }
    await settle();
    expect(a.session.getSnapshot()).toBe(before);
  });

  it('ignores a token set that is not fresher than the one held', async () => {
    const browser = createBrowser();
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    const held = b.session.getSnapshot();
    const stale = browser.hub.sent.find((m) => (m.data as { type: string }).type === 'tokens')
      ?.data as {
      tokens: { stamp: number; accessToken: string };
    };
    browser.hub.inject(channelName, {
      ...stale,
      from: 'late-tab',
      tokens: { ...stale.tokens, accessToken: 'older', stamp: stale.tokens.stamp - 1 },
    });
    await settle();
    expect(b.session.getSnapshot()).toBe(held);
  });

  it('ignores a late sign-out older than the tokens held, and late tokens after a sign-out', async () => {
    const browser = createBrowser();
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    const loginAt = Date.now();
    vi.advanceTimersByTime(1_000);
    // A logout sent before this login (delivered late) must not sign anyone out.
    browser.hub.inject(channelName, {
      v: PROTOCOL_VERSION,
      from: 'old',
      type: 'signout',
      kind: 'logout',
      stamp: loginAt - 500,
    });
    await settle();
    expect(b.session.getSnapshot().status).toBe('authenticated');
    // Now a real logout, then a token broadcast obtained before it arrives late: ignored.
    const sent = browser.hub.sent.find((m) => (m.data as { type: string }).type === 'tokens')?.data;
    await a.session.logout();
    await settle();
    browser.hub.inject(channelName, { ...(sent as object), from: 'late' });
    await settle();
    expect(b.session.getSnapshot().status).toBe('anonymous');
  });

  it('namespaces the channel and the lock with crossTab.name', async () => {
    const browser = createBrowser();
    const a = browser.open({ crossTab: { name: 'app-a' } });
    const b = browser.open({ crossTab: { name: 'app-b' } });
    await a.session.login(browser.server.login('alice'));
    await settle();
    expect(b.session.getSnapshot().status).toBe('anonymous');
  });
});

describe('without Web Locks or BroadcastChannel', () => {
  it('works in each tab on its own when the browser has neither', async () => {
    const browser = createBrowser(
      { accessTtlS: 600 },
      { locks: false, channel: false, indexedDB: false },
    );
    const [a, b] = [browser.open(), browser.open()];
    await a.session.login(browser.server.login('alice'));
    await settle();
    expect(b.session.getSnapshot().status).toBe('anonymous'); // nothing shared
    await vi.advanceTimersByTimeAsync(480_000);
    await settle();
    expect(a.session.getSnapshot().status).toBe('authenticated');
    expect(browser.server.counts.refreshOk).toBe(1);
  });

  it('with a channel but no locks, a new tab is still signed in by an open one', async () => {
    const browser = createBrowser({}, { locks: false });
    const a = browser.open();
    await a.session.login(browser.server.login('alice'));
    await settle();
    const b = browser.open();
    expect(b.session.getSnapshot().status).toBe('anonymous'); // nothing tells it a tab is open…
    await settle();
    expect(b.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    }); // …until one answers
  });
});
