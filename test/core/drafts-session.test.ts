import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { el, mountForm, typeInto } from '../helpers/draft-forms';
import { flush, setupSession, useFakeClock } from '../helpers/session';

beforeEach(() => {
  useFakeClock();
  document.body.innerHTML = '';
});
afterEach(() => vi.useRealTimers());

const FORM = `
  <input name="title">
  <textarea name="body"></textarea>
  <input name="password" type="password">
  <input name="card" autocomplete="cc-number">`;

describe('drafts follow the session', () => {
  it('a forced re-login of the same user brings the form back; secrets were never stored', async () => {
    const { session, server, localStorage } = setupSession();
    await session.login(server.login('alice'));
    const form = mountForm(FORM);
    session.drafts.attach(form, { key: 'post' });
    typeInto(el(form, '[name=title]'), 'Half a thought');
    typeInto(el(form, '[name=body]'), 'typed while the session ran out');
    typeInto(el(form, '[name=password]'), 'hunter2');
    typeInto(el(form, '[name=card]'), '4111111111111111');
    server.revoke('alice');
    await session.refresh().catch(() => {}); // invalid_grant: forced re-login
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'refresh-rejected' });
    // The expiry flushed the pending (debounced) save at once.
    expect(localStorage.dump()).toContain('Half a thought');
    expect(localStorage.dump()).not.toContain('hunter2');
    expect(localStorage.dump()).not.toContain('4111');
    // The page reloads into the login page: a fresh form and a fresh session.
    document.body.innerHTML = '';
    const again = setupSession({ env: { localStorage } });
    await again.session.login(again.server.login('alice'));
    const restored: unknown[] = [];
    again.session.on('draft-restored', (e) => restored.push(e));
    const fresh = mountForm(FORM);
    again.session.drafts.attach(fresh, { key: 'post' });
    expect(el(fresh, '[name=title]').value).toBe('Half a thought');
    expect(el<HTMLTextAreaElement>(fresh, '[name=body]').value).toBe(
      'typed while the session ran out',
    );
    expect(el(fresh, '[name=password]').value).toBe('');
    expect(restored).toEqual([{ key: 'post', fields: ['title', 'body'] }]);
  });

  it('restores into an already-attached form when the same user signs in again', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('alice'));
    const form = mountForm(FORM);
    session.drafts.attach(form, { key: 'post' });
    typeInto(el(form, '[name=title]'), 'kept');
    session.expire();
    form.reset(); // the app cleared the form while signed out
    await session.login(server.login('alice'));
    expect(el(form, '[name=title]').value).toBe('kept');
  });

  it('another user signing in sees nothing, and the previous user’s draft is purged', async () => {
    const { session, server, localStorage } = setupSession();
    await session.login(server.login('alice'));
    const form = mountForm(FORM);
    const detach = session.drafts.attach(form, { key: 'post' });
    typeInto(el(form, '[name=title]'), 'alice private text');
    session.expire();
    detach();
    document.body.innerHTML = '';
    await session.login(server.login('bob'));
    const bobs = mountForm(FORM);
    session.drafts.attach(bobs, { key: 'post' });
    expect(el(bobs, '[name=title]').value).toBe('');
    expect(localStorage.dump()).not.toContain('alice private text');
  });

  it('logout discards the user’s drafts', async () => {
    const { session, server, localStorage } = setupSession();
    await session.login(server.login('alice'));
    session.drafts.save('settings', { theme: 'dark' });
    session.drafts.flush();
    expect(localStorage.dump()).toContain('dark');
    await session.logout();
    expect(localStorage.dump()).not.toContain('dark');
    expect(session.drafts.load('settings')).toBeNull();
  });

  it('idle flushes drafts', async () => {
    const { session, server, localStorage } = setupSession({
      idle: { timeoutMs: 60_000, promptBeforeMs: 0 },
      drafts: { debounceMs: 600_000 },
    });
    await session.login(server.login('alice'));
    session.drafts.save('note', { text: 'unsaved' });
    expect(localStorage.dump()).not.toContain('unsaved');
    await vi.advanceTimersByTimeAsync(60_000);
    await flush();
    expect(localStorage.dump()).toContain('unsaved');
  });

  it('pagehide writes a pending programmatic save at once (no form attached)', async () => {
    const { session, server, localStorage, win } = setupSession({
      drafts: { debounceMs: 600_000 },
    });
    await session.login(server.login('alice'));
    session.drafts.save('settings', { theme: 'dark' });
    expect(localStorage.dump()).not.toContain('dark');
    win.fire('pagehide');
    expect(localStorage.dump()).toContain('dark');
  });

  it('drafts: false keeps nothing', async () => {
    const { session, server, localStorage } = setupSession({ drafts: false });
    await session.login(server.login('alice'));
    session.drafts.save('note', { text: 'x' });
    session.drafts.flush();
    expect(localStorage.map.size).toBe(0);
  });

  it('a token without a user id keeps no drafts (nobody could prove the next login is the same person)', async () => {
    const { session, localStorage } = setupSession();
    await session.login({ access_token: 'opaque', expires_in: 600 });
    session.drafts.save('note', { text: 'x' });
    session.drafts.flush();
    expect(localStorage.dump()).not.toContain('note');
  });
});
