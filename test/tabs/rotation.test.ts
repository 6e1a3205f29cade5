import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_MODES, createModeBrowser } from '../helpers/auth-modes';
import { T0, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';
import { settle } from '../helpers/tabs';

// Run as bearer and with DPoP (`sessionkeeper/dpop`, every tab signing with the one shared
// key): the same jobs, the same expectations.
installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const TTL_S = 600;
const ROTATION_MS = (TTL_S - 120) * 1000;
/** A quarter of the way from the refresh time to expiry: when a visible non-leader takes over. */
const FALLBACK_MS = 30_000;

describe.each(AUTH_MODES)('one refresh for all tabs ($name)', (mode) => {
  it.each([2, 5, 20])(
    '%i tabs over 10 rotations: exactly one refresh per rotation, no reuse',
    async (n) => {
      const browser = createModeBrowser(mode, { accessTtlS: TTL_S });
      const tabs = Array.from({ length: n }, () => browser.open());
      await browser.signIn(tabs[0], 'alice');
      await settle();
      for (const tab of tabs) expect(tab.session.getSnapshot().status).toBe('authenticated');
      for (let rotation = 1; rotation <= 10; rotation++) {
        // The server is slow: every tab's timer fires while the first refresh is in flight.
        const release = browser.server.hold();
        await vi.advanceTimersByTimeAsync(ROTATION_MS);
        await settle();
        release();
        await settle();
        expect(browser.server.counts.refreshOk).toBe(rotation);
      }
      expect(browser.server.counts.refresh).toBe(10);
      expect(browser.server.counts.reuse).toBe(0);
      const tokens = new Set(await Promise.all(tabs.map((t) => t.session.getAccessToken())));
      expect(tokens.size).toBe(1); // every tab holds the newest token
      for (const tab of tabs) expect(tab.ofType('expired')).toEqual([]);
      // Messages per rotation, for the record: one token broadcast per refresh.
      const tokenMessages = browser.hub.sent.filter(
        (m) => (m.data as { type: string }).type === 'tokens',
      );
      expect(tokenMessages.length).toBe(11); // the login + 10 refreshes
    },
  );

  // (With DPoP, tabs without IndexedDB cannot share the key at all: see test/dpop/keys.test.ts.)
  it.runIf(!mode.dpop)(
    '(control) without Web Locks and IndexedDB the same setup does reuse rotated tokens',
    async () => {
      const browser = createModeBrowser(
        mode,
        { accessTtlS: TTL_S },
        { locks: false, indexedDB: false },
      );
      const tabs = Array.from({ length: 5 }, () => browser.open());
      await browser.signIn(tabs[0], 'alice');
      await settle();
      const release = browser.server.hold();
      await vi.advanceTimersByTimeAsync(ROTATION_MS);
      await settle();
      release();
      await settle();
      expect(browser.server.counts.reuse).toBeGreaterThan(0);
    },
  );

  it('never sends a rotated token even when the broadcast arrives after the lock hand-over', async () => {
    const browser = createModeBrowser(mode, { accessTtlS: TTL_S });
    const [a, b] = [browser.open(), browser.open()];
    await browser.signIn(a, 'alice');
    await settle();
    browser.hub.pause(); // the new tokens will reach tab b late
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    expect(browser.server.counts.refresh).toBe(1);
    // b took the lock, read the generation record, and is waiting for the broadcast.
    browser.hub.resume();
    await settle();
    expect(browser.server.counts.refresh).toBe(1);
    expect(browser.server.counts.reuse).toBe(0);
    expect(await b?.session.getAccessToken()).toBe(await a?.session.getAccessToken());
  });

  it('a tab whose token was rotated elsewhere and never hears of it fails transiently, never reuses', async () => {
    const browser = createModeBrowser(mode, { accessTtlS: TTL_S });
    const [a, b] = [browser.open(), browser.open()];
    await browser.signIn(a, 'alice');
    await settle();
    browser.hub.pause();
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    // b is not the leader: it takes over a quarter of the way to expiry, if nothing arrived.
    await vi.advanceTimersByTimeAsync(FALLBACK_MS);
    await settle();
    await vi.advanceTimersByTimeAsync(2_000); // past the wait for the broadcast and the ask
    await settle();
    expect(browser.server.counts.reuse).toBe(0);
    expect(b?.ofType('refresh-failed')).toMatchObject([
      { error: { kind: 'network' }, willRetry: true },
    ]);
    expect(b?.session.getSnapshot().status).toBe('authenticated');
    browser.hub.resume();
    await settle();
    expect(await b?.session.getAccessToken()).toBe(await a?.session.getAccessToken());
  });

  it('prefers a visible tab: a hidden tab leaves the refresh to it', async () => {
    const browser = createModeBrowser(mode, { accessTtlS: TTL_S });
    const hidden = browser.open();
    const visible = browser.open();
    hidden.win.setVisible(false);
    await browser.signIn(hidden, 'alice');
    await settle();
    const refreshedBy: string[] = [];
    hidden.session.on('refresh', (e) => !e.remote && refreshedBy.push('hidden'));
    visible.session.on('refresh', (e) => !e.remote && refreshedBy.push('visible'));
    // The hidden tab leads, but waits; the visible one takes over a quarter of the way to expiry.
    await vi.advanceTimersByTimeAsync(ROTATION_MS + FALLBACK_MS);
    await settle();
    expect(refreshedBy).toEqual(['visible']);
  });

  it('a hidden tab refreshes once its own deadline passed and no fresher token arrived', async () => {
    const browser = createModeBrowser(mode, { accessTtlS: TTL_S });
    const tab = browser.open();
    tab.win.setVisible(false);
    await browser.signIn(tab, 'alice');
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    expect(browser.server.counts.refresh).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000); // half-way between refresh time and expiry
    await settle();
    expect(browser.server.counts.refreshOk).toBe(1);
    expect(tab.session.getSnapshot().expiresAt).toBeGreaterThan(T0 + TTL_S * 1000);
  });

  it('a tab that holds the refresh lock for good: nobody refreshes without it, and the refresh goes out once it is freed', async () => {
    const browser = createModeBrowser(mode, { accessTtlS: TTL_S });
    const tab = browser.open();
    await browser.signIn(tab, 'alice');
    await settle();
    // A frozen tab took the lock and does not let go: its request may still be in flight.
    let thawOrDiscard = () => {};
    void browser.locks.manager('frozen').request(
      'sessionkeeper:refresh',
      () =>
        new Promise<void>((resolve) => {
          thawOrDiscard = resolve;
        }),
    );
    await vi.advanceTimersByTimeAsync(ROTATION_MS);
    await settle();
    await vi.advanceTimersByTimeAsync(60_000); // lock waits time out, retried with backoff
    await settle();
    expect(browser.server.counts.refresh).toBe(0);
    expect(tab.ofType('refresh-failed').length).toBeGreaterThan(0);
    expect(tab.session.getSnapshot().status).not.toBe('expired'); // a transient failure
    thawOrDiscard(); // the browser frees the lock of a discarded (or thawed) tab
    await vi.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(browser.server.counts.refreshOk).toBe(1);
    expect(browser.server.counts.reuse).toBe(0);
    expect(tab.session.getSnapshot().status).toBe('authenticated');
  });
});
