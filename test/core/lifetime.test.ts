import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDraftStore } from '../../src/drafts';
import { jwt } from '../helpers/server';
import { flush, setupSession, T0, useFakeClock } from '../helpers/session';
import { createBrowser, settle } from '../helpers/tabs';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('absolute session lifetime', () => {
  it('reads refresh_expires_in: warns endWarningMs before, then expires with reason max-age', async () => {
    const { session, server, ofType } = setupSession({}, { accessTtlS: 900 });
    const ending: unknown[] = [];
    session.on('session-ending', (e) => ending.push(e));
    await session.login({ ...server.login(), refresh_expires_in: 3_600 });
    expect(session.getSnapshot().sessionEndsAt).toBe(T0 + HOUR);
    await vi.advanceTimersByTimeAsync(55 * MIN - 1);
    expect(ending).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ending).toEqual([{ endsAt: T0 + HOUR, remainingMs: 5 * MIN }]);
    await vi.advanceTimersByTimeAsync(5 * MIN);
    await flush();
    expect(ofType('expired')).toEqual([{ reason: 'max-age' }]);
    expect(session.getSnapshot()).toMatchObject({
      status: 'expired',
      reason: 'max-age',
      user: { id: 'alice' },
    });
  });

  it('attempts no refresh that could not succeed', async () => {
    // The access token lives 40 min, the refresh token 45: the refresh due at 38 min goes out,
    // the one due at 38 + 38 min would be past the end and is never sent.
    const { session, server } = setupSession({}, { accessTtlS: 40 * 60 });
    await session.login({ ...server.login(), refresh_expires_in: 45 * 60 });
    await vi.advanceTimersByTimeAsync(38 * MIN);
    await flush();
    expect(server.counts.refresh).toBe(1);
    await vi.advanceTimersByTimeAsync(7 * MIN);
    await flush();
    expect(server.counts.refresh).toBe(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'max-age' });
  });

  it('reads the exp of a JWT refresh token, and refreshExpiresAt', async () => {
    const { session } = setupSession();
    const iat = Math.floor(T0 / 1000);
    await session.login({
      access_token: jwt({ sub: 'alice', iat, exp: iat + 600 }),
      refresh_token: jwt({ iat, exp: iat + 8 * 3_600 }),
    });
    expect(session.getSnapshot().sessionEndsAt).toBe(T0 + 8 * HOUR);
    await session.login({
      accessToken: 'a',
      expiresIn: 600,
      refreshExpiresAt: T0 + 2 * HOUR,
      userId: 'x',
    });
    expect(session.getSnapshot().sessionEndsAt).toBe(T0 + 2 * HOUR);
  });

  it('maxSessionMs ends the session 2 hours after login however active, and refreshes do not move it', async () => {
    const { session, server, ofType } = setupSession(
      { maxSessionMs: 2 * HOUR },
      { accessTtlS: 900 },
    );
    await session.login(server.login());
    expect(session.getSnapshot().sessionEndsAt).toBe(T0 + 2 * HOUR);
    await vi.advanceTimersByTimeAsync(HOUR);
    await flush();
    expect(server.counts.refreshOk).toBeGreaterThanOrEqual(4);
    expect(session.getSnapshot().sessionEndsAt).toBe(T0 + 2 * HOUR);
    await vi.advanceTimersByTimeAsync(HOUR);
    await flush();
    expect(ofType('expired')).toEqual([{ reason: 'max-age' }]);
  });

  it('the earlier of the two limits wins', async () => {
    const { session, server } = setupSession({ maxSessionMs: 2 * HOUR });
    await session.login({ ...server.login(), refresh_expires_in: 30 * 60 });
    expect(session.getSnapshot().sessionEndsAt).toBe(T0 + 30 * MIN);
    await vi.advanceTimersByTimeAsync(MIN);
    await session.login({ ...server.login(), refresh_expires_in: 30 * 86_400 });
    expect(session.getSnapshot().sessionEndsAt).toBe(T0 + MIN + 2 * HOUR);
  });

  it('acts on the end at once after a sleep, without a stale warning', async () => {
    const { session, server, win, ofType } = setupSession({ maxSessionMs: HOUR });
    const ending: unknown[] = [];
    session.on('session-ending', (e) => ending.push(e));
    await session.login(server.login());
    vi.setSystemTime(T0 + 3 * HOUR); // the laptop slept through warning and end
    win.fire('visibilitychange');
    await flush();
    expect(ending).toEqual([]);
    expect(ofType('expired')).toEqual([{ reason: 'max-age' }]);
  });

  it('warns with the true remaining time on a wake inside the warning window', async () => {
    const { session, server, win } = setupSession({ maxSessionMs: HOUR });
    const ending: unknown[] = [];
    session.on('session-ending', (e) => ending.push(e));
    await session.login(server.login());
    vi.setSystemTime(T0 + HOUR - 2 * MIN);
    win.fire('focus');
    expect(ending).toEqual([{ endsAt: T0 + HOUR, remainingMs: 2 * MIN }]);
  });

  it('survives a reload: the limit counts from the original login', async () => {
    const first = setupSession({ maxSessionMs: 2 * HOUR, storage: 'local' });
    await first.session.login(first.server.login());
    await vi.advanceTimersByTimeAsync(HOUR);
    first.session.destroy();
    const reloaded = setupSession({
      maxSessionMs: 2 * HOUR,
      storage: 'local',
      env: { localStorage: first.localStorage, fetch: first.server.fetch },
    });
    expect(reloaded.session.getSnapshot().sessionEndsAt).toBe(T0 + 2 * HOUR);
  });

  it('survives a reload in cookie mode too (the probe restores, the start is remembered)', async () => {
    const first = setupSession({ maxSessionMs: 2 * HOUR });
    await first.session.login(first.server.login('alice'));
    await vi.advanceTimersByTimeAsync(HOUR);
    first.session.destroy();
    // Memory tokens are gone; a custom refresh stands for the httpOnly cookie.
    const server = first.server;
    const reloaded = setupSession({
      maxSessionMs: 2 * HOUR,
      probe: true,
      refresh: async () => server.login('alice'),
      env: { localStorage: first.localStorage },
    });
    await flush();
    expect(reloaded.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      sessionEndsAt: T0 + 2 * HOUR,
    });
  });

  it('the end keeps drafts and holds requests, as any forced re-login', async () => {
    const { session, server, localStorage } = setupSession({
      maxSessionMs: HOUR,
      drafts: createDraftStore({ debounceMs: 10 * HOUR }),
    });
    await session.login(server.login('alice'));
    session.drafts.save('note', { text: 'almost done' });
    await vi.advanceTimersByTimeAsync(55 * MIN);
    expect(localStorage.dump()).toContain('almost done'); // flushed by the warning
    await vi.advanceTimersByTimeAsync(5 * MIN);
    await flush();
    const held = session.fetch('https://app.test/api/save', { method: 'POST', body: 'payload' });
    await flush();
    expect(session.getSnapshot().pendingRequests).toBe(1);
    await session.login(server.login('alice'));
    expect((await held).status).toBe(200);
  });

  it('every tab warns and ends together', async () => {
    const browser = createBrowser({ accessTtlS: 900 });
    const tabs = [
      browser.open({ maxSessionMs: HOUR }),
      browser.open({ maxSessionMs: HOUR }),
      browser.open({ maxSessionMs: HOUR }),
    ];
    const warned: number[] = [];
    for (const tab of tabs) tab.session.on('session-ending', () => warned.push(Date.now()));
    await tabs[0]?.session.login(browser.server.login());
    await settle();
    await vi.advanceTimersByTimeAsync(HOUR);
    await settle();
    expect(warned).toEqual([T0 + 55 * MIN, T0 + 55 * MIN, T0 + 55 * MIN]);
    for (const tab of tabs)
      expect(tab.session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'max-age' });
  });
});
