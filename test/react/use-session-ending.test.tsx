import { act, renderHook } from '@testing-library/react';
import { useSessionEnding } from 'sessionkeeper/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanupReact, enableAct, setupReactSession } from '../helpers/react-session';
import { T0, useFakeClock } from '../helpers/session';

beforeEach(() => {
  enableAct();
  useFakeClock();
});
afterEach(cleanupReact);

const MIN = 60_000;
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('useSessionEnding', () => {
  it('knows no end while signed out', () => {
    const { wrapper } = setupReactSession({ maxSessionMs: 60 * MIN });
    const { result } = renderHook(() => useSessionEnding(), { wrapper });
    expect(result.current).toEqual({ endsAt: null, warning: false, remainingMs: 0 });
  });

  it('shows the end, then counts down once a second through the warning', async () => {
    const { session, server, wrapper } = setupReactSession({
      maxSessionMs: 60 * MIN,
      endWarningMs: 5 * MIN,
    });
    let renders = 0;
    const { result } = renderHook(
      () => {
        renders++;
        return useSessionEnding();
      },
      { wrapper },
    );
    await act(() => session.login(server.login('alice')));
    expect(result.current).toEqual({ endsAt: T0 + 60 * MIN, warning: false, remainingMs: 0 });
    const before = renders;
    await advance(50 * MIN);
    expect(renders - before).toBeLessThanOrEqual(2); // no ticking before the warning
    await advance(5 * MIN);
    expect(result.current).toEqual({ endsAt: T0 + 60 * MIN, warning: true, remainingMs: 5 * MIN });
    await advance(1_000);
    expect(result.current.remainingMs).toBe(5 * MIN - 1_000);
    await advance(2_000);
    expect(result.current.remainingMs).toBe(5 * MIN - 3_000);
    await advance(5 * MIN);
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'max-age' });
    expect(result.current).toEqual({ endsAt: null, warning: false, remainingMs: 0 });
  });

  it('a component mounted inside the warning window shows it at once', async () => {
    const { session, server, wrapper } = setupReactSession({ maxSessionMs: 60 * MIN });
    await act(() => session.login(server.login('alice')));
    await advance(58 * MIN);
    const { result } = renderHook(() => useSessionEnding(), { wrapper });
    expect(result.current).toEqual({ endsAt: T0 + 60 * MIN, warning: true, remainingMs: 2 * MIN });
  });
});
