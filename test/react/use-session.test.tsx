import { act, render, renderHook } from '@testing-library/react';
import { useState } from 'react';
import { renderToString } from 'react-dom/server';
import { type SessionView, useIdleTimer, useSession } from 'sessionkeeper/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleTimer } from '../../src/idle';
import { cleanupReact, enableAct, setupReactSession } from '../helpers/react-session';
import { T0, useFakeClock } from '../helpers/session';

beforeEach(() => {
  enableAct();
  useFakeClock();
});
afterEach(cleanupReact);

/** Logs every render's `useSession()` result. */
function Status({ log }: { log: SessionView[] }) {
  const view = useSession();
  log.push(view);
  return <p>{view.status}</p>;
}

function Countdown({ onRender }: { onRender: () => void }) {
  useIdleTimer();
  onRender();
  return null;
}

/** Status and Countdown under a parent whose own state the test changes through `control`. */
function Parent({
  log,
  control,
}: {
  log: SessionView[];
  control: { bump: () => void; idle: number };
}) {
  const [n, setN] = useState(0);
  control.bump = () => setN(n + 1);
  return (
    <>
      <Status log={log} />
      <Countdown onRender={() => control.idle++} />
      <i>{n}</i>
    </>
  );
}

function Who() {
  const { status, user } = useSession();
  return <p>{`${status} ${user?.id ?? 'nobody'}`}</p>;
}

function Busy({ n, onRender }: { n: number; onRender: () => void }) {
  useSession();
  useIdleTimer();
  onRender();
  return <i>{n}</i>;
}

describe('useSession', () => {
  it('throws a clear error outside a <SessionProvider>', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHook(() => useSession())).toThrow(
      'sessionkeeper/react: hook used outside <SessionProvider>',
    );
  });

  it('returns the snapshot’s fields, the session’s actions and the session, flat', async () => {
    const { session, server, wrapper } = setupReactSession();
    const { result } = renderHook(() => useSession(), { wrapper });
    expect(result.current).toEqual({
      ...session.getSnapshot(),
      login: session.login,
      logout: session.logout,
      expire: session.expire,
      refresh: session.refresh,
      getAccessToken: session.getAccessToken,
      session,
    });
    expect(result.current.status).toBe('anonymous');

    await act(() => result.current.login(server.login('alice')));
    expect(result.current).toMatchObject({ status: 'authenticated', user: { id: 'alice' } });
    await expect(result.current.getAccessToken()).resolves.toMatch(/^ey/);

    act(() => result.current.expire());
    // While expired, the last user is still there, to say "sign in again as alice".
    expect(result.current).toMatchObject({
      status: 'expired',
      reason: 'manual',
      user: { id: 'alice' },
    });
    await act(() => result.current.logout());
    expect(result.current).toMatchObject({ status: 'anonymous', user: null });
  });

  it('re-renders only when the snapshot changed, and keeps the object’s identity until then', async () => {
    const { session, server, win, wrapper } = setupReactSession({
      idle: createIdleTimer({ timeoutMs: 600_000, promptBeforeMs: 60_000 }),
    });
    const seen: SessionView[] = [];
    const control = { bump: () => {}, idle: 0 };
    const { container } = render(<Parent log={seen} control={control} />, { wrapper });
    expect(seen).toHaveLength(1);

    await act(() => session.login(server.login('alice')));
    expect(container.querySelector('p')?.textContent).toBe('authenticated');
    const afterLogin = seen.length;
    const idleAfterLogin = control.idle;

    // Activity moves the idle deadline: the idle timer's state changes, the session snapshot not.
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    act(() => win.fire('keydown'));
    expect(session.idle?.getState()?.deadline).toBe(T0 + 601_000);
    expect(control.idle).toBe(idleAfterLogin); // useIdleTimer() renders on a state change only
    expect(seen).toHaveLength(afterLogin);

    // A parent's re-render renders Status again, but hands it the same object.
    act(() => control.bump());
    expect(seen).toHaveLength(afterLogin + 1);
    expect(seen.at(-1)).toBe(seen.at(-2));

    act(() => session.expire());
    expect(seen).toHaveLength(afterLogin + 2);
    expect(seen.at(-1)).not.toBe(seen.at(-2));
    act(() => session.expire()); // already expired: no new snapshot, no render
    expect(seen).toHaveLength(afterLogin + 2);
    expect(container.querySelector('p')?.textContent).toBe('expired');
  });

  it('a component that re-renders often subscribes once, and unmounting unsubscribes', () => {
    const { counts, wrapper } = setupReactSession({ idle: createIdleTimer() });
    let renders = 0;
    const onRender = () => renders++;
    const { rerender, unmount } = render(<Busy n={0} onRender={onRender} />, { wrapper });
    for (let n = 1; n <= 50; n++) rerender(<Busy n={n} onRender={onRender} />);
    expect(renders).toBe(51);
    expect(counts.subscribeCalls).toBe(2); // the session’s and the idle timer’s
    expect(counts.live).toBe(2);
    unmount();
    expect(counts.live).toBe(0);
  });

  it('works under StrictMode', async () => {
    const { session, server, counts, wrapper } = setupReactSession();
    const { result, unmount } = renderHook(() => useSession(), { wrapper, reactStrictMode: true });
    await act(() => session.login(server.login('alice')));
    expect(result.current.status).toBe('authenticated');
    unmount();
    expect(counts.live).toBe(0);
  });

  it('hydrates server HTML without a mismatch, then shows the client’s state', async () => {
    const { session, server, wrapper } = setupReactSession();
    await session.login(server.login('alice'));
    const container = document.createElement('div');
    container.innerHTML = renderToString(wrapper({ children: <Who /> }));
    expect(container.textContent).toBe('initializing nobody');
    document.body.append(container);
    const errors = vi.spyOn(console, 'error');
    render(<Who />, { wrapper, container, hydrate: true });
    expect(container.textContent).toBe('authenticated alice');
    expect(errors).not.toHaveBeenCalled();
  });
});
