import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionSignals } from '../../src/core/modules';
import type { SessionEventMap } from '../../src/core/types';
import { createDraftStore } from '../../src/drafts';
import { connectDrafts } from '../../src/drafts/connect';
import { createIdleTimer } from '../../src/idle';
import { createEmitter } from '../../src/lib/emitter';
import {
  createPageWindow,
  el,
  mountForm,
  storageWithDraft,
  storedFields,
  typeInto,
} from '../helpers/draft-forms';
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
    const { session, server, localStorage } = setupSession({ drafts: createDraftStore() });
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
    const again = setupSession({ drafts: createDraftStore(), env: { localStorage } });
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
    const { session, server } = setupSession({ drafts: createDraftStore() });
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
    const { session, server, localStorage } = setupSession({ drafts: createDraftStore() });
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
    const { session, server, localStorage } = setupSession({ drafts: createDraftStore() });
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
      idle: createIdleTimer({ timeoutMs: 60_000, promptBeforeMs: 0 }),
      drafts: createDraftStore({ debounceMs: 600_000 }),
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
      drafts: createDraftStore({ debounceMs: 600_000 }),
    });
    await session.login(server.login('alice'));
    session.drafts.save('settings', { theme: 'dark' });
    expect(localStorage.dump()).not.toContain('dark');
    win.fire('pagehide');
    expect(localStorage.dump()).toContain('dark');
  });

  it('without the drafts option there is no draft store, and nothing reaches storage', async () => {
    const { session, server, localStorage } = setupSession();
    expect(session.drafts).toBeNull();
    await session.login(server.login('alice'));
    session.expire();
    expect([...localStorage.map.keys()].filter((key) => key.includes('draft'))).toEqual([]);
  });

  it('the store given is the session’s, connected once', () => {
    const drafts = createDraftStore();
    const { session } = setupSession({ drafts });
    expect(session.drafts).toBe(drafts);
    expect(() => setupSession({ drafts })).toThrow(TypeError);
  });

  it('an object that createDraftStore() did not make is refused with a TypeError', () => {
    const store = createDraftStore();
    // Every method of a draft store, but not one createDraftStore() made.
    const fake = Object.fromEntries(Object.keys(store).map((name) => [name, () => {}])) as never;
    expect(() => setupSession({ drafts: fake })).toThrow(
      "createSession: drafts must be made by createDraftStore() of 'sessionkeeper/drafts'",
    );
  });

  it('a token without a user id keeps no drafts (nobody could prove the next login is the same person)', async () => {
    const { session, localStorage } = setupSession({ drafts: createDraftStore() });
    await session.login({ access_token: 'opaque', expires_in: 600 });
    session.drafts.save('note', { text: 'x' });
    session.drafts.flush();
    expect(localStorage.dump()).not.toContain('note');
  });

  it('a form attached while the session is expired stays empty until the same user signs in again', async () => {
    const { session, server } = setupSession({ drafts: createDraftStore() });
    await session.login(server.login('alice'));
    session.drafts.save('post', { title: 'Alice title' });
    session.expire();
    const form = mountForm(FORM);
    session.drafts.attach(form, { key: 'post' });
    expect(el(form, '[name=title]').value).toBe('');
    expect(session.drafts.load('post')).toBeNull();
    await session.login(server.login('alice'));
    expect(el(form, '[name=title]').value).toBe('Alice title');
  });

  it('bob signing in after alice’s session expired, on the same form, stores none of alice’s text', async () => {
    const { session, server, localStorage } = setupSession({ drafts: createDraftStore() });
    await session.login(server.login('alice'));
    const form = mountForm(FORM);
    session.drafts.attach(form, { key: 'post' });
    typeInto(el(form, '[name=title]'), 'alice private text');
    session.expire();
    await session.login(server.login('bob'));
    typeInto(el<HTMLTextAreaElement>(form, '[name=body]'), 'bob text');
    session.drafts.flush();
    expect(localStorage.dump()).not.toContain('alice private text');
    expect(storedFields(localStorage, 'bob', 'post')).toEqual({ body: 'bob text' });
  });
});

describe('a page reloaded while the session is expired', () => {
  /** Alice saved a draft of `post`, then her session was forced to end and the page reloaded. */
  async function reloadedWhileExpired() {
    const first = setupSession({ drafts: createDraftStore() });
    await first.session.login(first.server.login('alice'));
    first.session.drafts.save('post', { title: 'Alice title', body: 'Alice body' });
    first.session.expire();
    first.session.destroy();
    const { sessionStorage, localStorage } = first;
    return {
      ...setupSession({ drafts: createDraftStore(), env: { sessionStorage, localStorage } }),
      localStorage,
    };
  }

  it('fills no form, and typing into the empty form does not overwrite the draft', async () => {
    const { session, localStorage } = await reloadedWhileExpired();
    expect(session.getSnapshot().status).toBe('expired');
    expect(session.drafts.getScope()).toBe('alice');
    const form = mountForm(FORM);
    session.drafts.attach(form, { key: 'post' });
    expect(el(form, '[name=title]').value).toBe('');
    typeInto(el(form, '[name=title]'), 'typed after the reload');
    await vi.advanceTimersByTimeAsync(1_000);
    session.drafts.flush();
    expect(storedFields(localStorage, 'alice', 'post')).toEqual({
      title: 'Alice title',
      body: 'Alice body',
    });
  });

  it('alice signing in gets the draft, what she typed meanwhile kept over it, and saved', async () => {
    const { session, server, localStorage } = await reloadedWhileExpired();
    const form = mountForm(FORM);
    session.drafts.attach(form, { key: 'post' });
    typeInto(el(form, '[name=title]'), 'typed after the reload');
    await session.login(server.login('alice'));
    expect(el(form, '[name=title]').value).toBe('typed after the reload');
    expect(el<HTMLTextAreaElement>(form, '[name=body]').value).toBe('Alice body');
    session.drafts.flush();
    expect(storedFields(localStorage, 'alice', 'post')).toEqual({
      title: 'typed after the reload',
      body: 'Alice body',
    });
  });

  it('the start-up event without a user id puts nobody in scope', () => {
    const signals = createEmitter<SessionSignals>();
    const events = createEmitter<SessionEventMap>();
    const drafts = createDraftStore({
      env: { localStorage: storageWithDraft({}), window: createPageWindow().window },
    });
    connectDrafts(drafts, {
      env: undefined,
      name: 'sessionkeeper',
      crossTab: false,
      on: signals.on,
      onEvent: events.on,
      emit: events.emit,
      expire: () => {},
      logout: async () => {},
      setIdle: () => {},
      setRequestSigner: () => {},
    });
    const user = { id: null, claims: {} };
    signals.emit('signed-out', { kind: 'expired', user, remote: false, restored: true });
    expect(drafts.getScope()).toBeNull();
    drafts.destroy();
  });
});

describe('an anonymous (public) form given to a session', () => {
  const CONTACT = '<input name="email"><textarea name="message"></textarea>';
  const ANONYMOUS = { key: 'contact', anonymous: true } as const;
  const message = (form: HTMLFormElement) => el<HTMLTextAreaElement>(form, '[name=message]');

  /** A visitor typed into the contact form, then the page was reloaded (still signed out). */
  async function visitorReloads(drafts = createDraftStore()) {
    const first = setupSession({ drafts: createDraftStore() });
    const form = mountForm(CONTACT);
    first.session.drafts.attach(form, ANONYMOUS);
    typeInto(message(form), 'Do you ship to Iceland?');
    first.win.fire('pagehide');
    first.session.destroy();
    document.body.innerHTML = '';
    const { localStorage } = first;
    return { ...setupSession({ drafts, env: { localStorage } }), localStorage };
  }

  it('is restored after a reload; a login purges it and never shows it to the user', async () => {
    const { session, server, localStorage } = await visitorReloads();
    const form = mountForm(CONTACT);
    session.drafts.attach(form, ANONYMOUS);
    expect(message(form).value).toBe('Do you ship to Iceland?');
    await session.login(server.login('alice'));
    expect(localStorage.dump()).not.toContain('Iceland');
    expect(session.drafts.load('contact')).toBeNull();
    document.body.innerHTML = '';
    const fresh = mountForm(CONTACT);
    session.drafts.attach(fresh, ANONYMOUS);
    expect(message(fresh).value).toBe('');
    typeInto(message(fresh), 'alice asks support');
    await vi.advanceTimersByTimeAsync(1_000);
    session.drafts.flush();
    expect(localStorage.dump()).not.toContain('alice asks support');
  });

  it('kept through the login with keepAnonymous, it is back after the logout', async () => {
    const { session, server, localStorage } = await visitorReloads(
      createDraftStore({ keepAnonymous: true }),
    );
    await session.login(server.login('alice'));
    const form = mountForm(CONTACT);
    session.drafts.attach(form, ANONYMOUS);
    expect(message(form).value).toBe('');
    expect(localStorage.dump()).toContain('Iceland');
    await session.logout();
    expect(message(form).value).toBe('Do you ship to Iceland?');
  });

  it('on a page reloaded while the session is expired: neither shown nor saved; the login purges it', async () => {
    const first = setupSession({ drafts: createDraftStore() });
    await first.session.login(first.server.login('alice'));
    first.session.expire();
    first.session.destroy();
    const { sessionStorage, localStorage } = first;
    // Left by a tab whose visitor was signed out (a session without cross-tab).
    storageWithDraft({ message: 'a visitor’s question' }, null, 'contact', localStorage);
    const { session, server } = setupSession({
      drafts: createDraftStore(),
      env: { sessionStorage, localStorage },
    });
    expect(session.getSnapshot().status).toBe('expired');
    const form = mountForm(CONTACT);
    session.drafts.attach(form, ANONYMOUS);
    expect(message(form).value).toBe('');
    expect(session.drafts.load('contact')).toBeNull();
    typeInto(message(form), 'typed while expired');
    await vi.advanceTimersByTimeAsync(1_000);
    session.drafts.flush();
    expect(localStorage.dump()).not.toContain('typed while expired');
    expect(localStorage.dump()).toContain('a visitor’s question');
    await session.login(server.login('alice'));
    expect(localStorage.dump()).not.toContain('a visitor’s question');
  });
});
