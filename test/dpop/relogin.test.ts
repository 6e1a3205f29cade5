import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_MODES, createModeBrowser } from '../helpers/auth-modes';
import type { DpopServer } from '../helpers/dpop-server';
import { track } from '../helpers/http';
import { ORIGIN, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';
import { settle } from '../helpers/tabs';

installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

describe('held requests across a forced re-login, with DPoP', () => {
  it('requests held in another tab go out after the re-login, signed with the new key', async () => {
    const browser = createModeBrowser(AUTH_MODES[1], { accessTtlS: 600 });
    const front = browser.dpopServer as DpopServer;
    const [a, b] = [browser.open(), browser.open()];
    const first = await browser.signIn(a, 'alice');
    await settle();
    a?.session.expire();
    await settle();
    const held = [
      track(b!.session.fetch(`${API}/held-1`)),
      track(b!.session.fetch(`${API}/held-2`)),
    ];
    await settle();
    expect(b?.session.getSnapshot()).toMatchObject({ status: 'expired', pendingRequests: 2 });
    expect(browser.server.apiRequests).toEqual([]);

    const second = await browser.signIn(a, 'alice');
    await settle();
    expect(held.map((call) => (call.value as Response | undefined)?.status)).toEqual([200, 200]);
    const newKey = front.boundTo(second.access_token);
    expect(newKey).not.toBe(front.boundTo(first.access_token));
    const sent = front.judged.filter((j) => j.path.startsWith('/api/held'));
    expect(sent.map((j) => j.verdict)).toEqual(['ok', 'ok']);
    expect(sent.every((j) => j.proof?.claims.ath !== undefined)).toBe(true);
    expect(browser.server.apiRequests.map((r) => r.authorization)).toEqual([
      `Bearer ${second.access_token}`,
      `Bearer ${second.access_token}`,
    ]);
  });
});
