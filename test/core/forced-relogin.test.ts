import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDraftStore } from '../../src/drafts';
import type { ExpireReason, RefreshFn } from '../../src/index';
import { el, mountForm, typeInto } from '../helpers/draft-forms';
import { createFakeServer } from '../helpers/server';
import { flush, ORIGIN, setupSession, useFakeClock } from '../helpers/session';
import { MemoryStorage } from '../helpers/storage';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(() => {
  useFakeClock();
  document.body.innerHTML = '';
});
afterEach(() => vi.useRealTimers());

/** An httpOnly refresh cookie that always works: the start-up probe would sign the user in. */
function cookieMode(login: () => unknown) {
  const calls = { count: 0 };
  const refresh: RefreshFn = async () => {
    calls.count++;
    return login();
  };
  return { refresh, calls };
}

describe('a forced re-login holds across a reload', () => {
  it.each(['manual', 'idle', 'unauthorized', 'refresh-rejected', 'max-age'] as const)(
    'after expire(%s) in cookie mode, the reload starts expired: no probe undoes it',
    async (reason: ExpireReason) => {
      const server = createFakeServer({ origin: ORIGIN });
      const cookie = cookieMode(() => server.login('alice'));
      const page = () =>
        setupSession({
          drafts: createDraftStore(),
          probe: true,
          refresh: cookie.refresh,
          env: { fetch: server.fetch, sessionStorage, localStorage },
        });
      const sessionStorage = new MemoryStorage();
      const localStorage = new MemoryStorage();
      const tab = page();
      await tab.session.login(server.login('alice'));
      tab.session.expire(reason);
      tab.session.destroy();
      const probesBefore = cookie.calls.count; // the first page's own start-up probe

      const reloaded = page();
      expect(reloaded.session.getSnapshot()).toMatchObject({
        status: 'expired',
        reason,
        user: { id: 'alice' },
      });
      await flush();
      expect(cookie.calls.count).toBe(probesBefore);
      expect(reloaded.session.getSnapshot().status).toBe('expired');
      expect(reloaded.ofType('expired')).toEqual([]); // the app was told when it happened
      // It stays so until someone signs in; then a reload restores nothing of it.
      await reloaded.session.login(server.login('alice'));
      reloaded.session.destroy();
      const again = setupSession({
        drafts: createDraftStore(),
        env: { sessionStorage, localStorage },
      });
      expect(again.session.getSnapshot().status).toBe('anonymous');
    },
  );

  it('a refresh rejected by the server holds across a reload too', async () => {
    const first = setupSession({ drafts: createDraftStore() });
    await first.session.login(first.server.login('alice'));
    first.server.revoke('alice');
    await first.session.refresh().catch(() => {});
    expect(first.session.getSnapshot().status).toBe('expired');
    first.session.destroy();
    const reloaded = setupSession({
      drafts: createDraftStore(),
      env: { sessionStorage: first.sessionStorage },
    });
    expect(reloaded.session.getSnapshot()).toMatchObject({
      status: 'expired',
      reason: 'refresh-rejected',
      user: { id: 'alice' },
    });
  });

  it('a logout ends it: the reload starts anonymous', async () => {
    const first = setupSession({ drafts: createDraftStore() });
    await first.session.login(first.server.login('alice'));
    first.session.expire();
    await first.session.logout();
    first.session.destroy();
    const reloaded = setupSession({
      drafts: createDraftStore(),
      env: { sessionStorage: first.sessionStorage },
    });
    expect(reloaded.session.getSnapshot()).toMatchObject({ status: 'anonymous', user: null });
  });

  it('requests made after the reload are held for the same user, and go out when alice signs in', async () => {
    const first = setupSession({ drafts: createDraftStore() });
    await first.session.login(first.server.login('alice'));
    first.session.expire();
    first.session.destroy();
    const reloaded = setupSession({
      drafts: createDraftStore(),
      env: { sessionStorage: first.sessionStorage },
    });
    const held = reloaded.session.fetch(`${ORIGIN}/api/save`, { method: 'POST', body: 'x' });
    await flush();
    expect(reloaded.session.getSnapshot().pendingRequests).toBe(1);
    await reloaded.session.login(reloaded.server.login('alice'));
    expect((await held).status).toBe(200);
  });

  it('puts no draft into a form before its owner signs in again', async () => {
    const first = setupSession({ drafts: createDraftStore() });
    await first.session.login(first.server.login('alice'));
    const form = mountForm('<input name="title">');
    first.session.drafts.attach(form, { key: 'post' });
    typeInto(el(form, '[name=title]'), 'alice’s private note');
    first.session.expire('idle');
    first.session.destroy();
    document.body.innerHTML = '';

    const reloaded = setupSession({
      drafts: createDraftStore(),
      env: { sessionStorage: first.sessionStorage, localStorage: first.localStorage },
    });
    const fresh = mountForm('<input name="title">');
    reloaded.session.drafts.attach(fresh, { key: 'post' });
    expect(reloaded.session.getSnapshot().status).toBe('expired');
    expect(el(fresh, '[name=title]').value).toBe('');
    expect(reloaded.session.drafts.load('post')).toBeNull();
    await reloaded.session.login(reloaded.server.login('alice'));
    expect(el(fresh, '[name=title]').value).toBe('alice’s private note');
  });
});

describe('a forced re-login holds in new tabs', () => {
  it('a tab opened while the others say "sign in again" starts expired, even with the probe', async () => {
    const browser = createBrowser();
    const cookie = cookieMode(() => browser.server.login('alice'));
    const a = browser.open({ probe: true, refresh: cookie.refresh });
    await a.session.login(browser.server.login('alice'));
    await settle();
    a.session.expire('unauthorized');
    await settle();
    const b = browser.open({ probe: true, refresh: cookie.refresh });
    await settle();
    expect(b.session.getSnapshot()).toMatchObject({
      status: 'expired',
      reason: 'unauthorized',
      user: { id: 'alice' },
    });
    expect(cookie.calls.count).toBe(0);
  });

  it('a sign-in in any tab ends it everywhere, and new tabs then start signed in', async () => {
    const browser = createBrowser();
    const a = browser.open();
    await a.session.login(browser.server.login('alice'));
    await settle();
    a.session.expire();
    await settle();
    const b = browser.open();
    await settle();
    expect(b.session.getSnapshot().status).toBe('expired');
    await b.session.login(browser.server.login('alice'));
    await settle();
    for (const tab of [a, b]) expect(tab.session.getSnapshot().status).toBe('authenticated');
    const c = browser.open();
    await settle();
    expect(c.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
    // With no tab open any more, memory tokens are gone: a new tab is anonymous, not expired.
    for (const tab of [a, b, c]) tab.session.destroy();
    const d = browser.open();
    await vi.advanceTimersByTimeAsync(500); // at most the wait for an answer
    await settle();
    expect(d.session.getSnapshot().status).toBe('anonymous');
  });
});
