import { act, render, renderHook } from '@testing-library/react';
import { useState } from 'react';
import { renderToString } from 'react-dom/server';
import type { SessionStatus } from 'sessionkeeper';
import { type SessionView, useSession } from 'sessionkeeper/react';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { Session } from '../../src/index';
import { cleanupReact, enableAct, setupReactSession } from '../helpers/react-session';
import { flush, useFakeClock } from '../helpers/session';

beforeEach(() => {
  enableAct();
  useFakeClock();
});
afterEach(cleanupReact);

type Server = ReturnType<typeof setupReactSession>['server'];

/**
 * 30 requests made while a refresh is in flight (each held: `pendingRequests` 1…30), then the
 * refresh answers: `status` back to `authenticated`, the requests go out (`pendingRequests` 0).
 * Each request in its own `act`, as in a browser each comes from a task of its own (one `act`
 * would batch them into one render): 31 new snapshots, 2 with a new `status`.
 */
async function burstDuringRefresh(session: Session, server: Server) {
  const release = server.hold('/token');
  let refreshing: Promise<void> = Promise.resolve();
  await act(async () => {
    refreshing = session.refresh();
    await flush(2);
  });
  const requests: Promise<Response>[] = [];
  for (let i = 0; i < 30; i++) {
    await act(async () => {
      requests.push(session.fetch(`/api/orders/${i}`));
      await flush(2);
    });
  }
  expect(session.getSnapshot()).toMatchObject({ status: 'refreshing', pendingRequests: 30 });
  release();
  await act(() => Promise.all([refreshing, ...requests]));
  expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', pendingRequests: 0 });
}

function StatusOnly({ log }: { log: SessionStatus[] }) {
  const status = useSession((view) => view.status);
  log.push(status);
  return <p>{status}</p>;
}

function Everything({ onRender }: { onRender: () => void }) {
  useSession();
  onRender();
  return null;
}

/** Same keys, each `Object.is`. */
function shallow<T extends object>(a: T, b: T): boolean {
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

type Who = { status: SessionStatus; userId: string | null };

function WhoIs({ log, label }: { log: Who[]; label: string }) {
  const who = useSession(
    (view): Who => ({ status: view.status, userId: view.user?.id ?? null }),
    shallow,
  );
  log.push(who);
  return <p>{`${label} ${who.status} ${who.userId}`}</p>;
}

/** WhoIs under a button that changes its label (a render of the parent, a new selector). */
function Relabel({ log }: { log: Who[] }) {
  const [label, setLabel] = useState('a');
  return (
    <button type="button" onClick={() => setLabel(`${label}a`)}>
      <WhoIs log={log} label={label} />
    </button>
  );
}

/** A selector that returns a new object each time, compared with the default `Object.is`. */
function Fresh({ log }: { log: unknown[] }) {
  const who = useSession((view) => ({ status: view.status }));
  log.push(who);
  return <p>{who.status}</p>;
}

function StatusAndUser() {
  const status = useSession((view) => view.status);
  const user = useSession((view) => view.user?.id ?? 'nobody');
  return <p>{`${status} ${user}`}</p>;
}

describe('useSession(selector, isEqual?)', () => {
  it('a component that reads status does not re-render for the pendingRequests of a 30-request burst', async () => {
    const { session, server, wrapper } = setupReactSession();
    const statuses: SessionStatus[] = [];
    let everything = 0;
    render(
      <>
        <StatusOnly log={statuses} />
        <Everything onRender={() => everything++} />
      </>,
      { wrapper },
    );
    await act(() => session.login(server.login('alice')));
    expect(statuses).toEqual(['anonymous', 'authenticated']);
    const everythingBefore = everything;

    await burstDuringRefresh(session, server);
    expect(statuses).toEqual(['anonymous', 'authenticated', 'refreshing', 'authenticated']);
    // The whole view re-renders for every request.
    expect(everything - everythingBefore).toBeGreaterThanOrEqual(31);
  });

  it('a selector returning a fresh object with a shallow isEqual: no loop, no needless render, the same object', async () => {
    const errors = vi.spyOn(console, 'error');
    const { session, server, wrapper } = setupReactSession();
    const log: Who[] = [];
    const { getByRole } = render(<Relabel log={log} />, { wrapper });
    expect(log).toEqual([{ status: 'anonymous', userId: null }]);
    await act(() => session.login(server.login('alice')));
    expect(log).toHaveLength(2);

    await burstDuringRefresh(session, server);
    expect(log.slice(2)).toEqual([
      { status: 'refreshing', userId: 'alice' },
      { status: 'authenticated', userId: 'alice' },
    ]);

    // A parent's render makes a new selector and a new object; isEqual holds: the same object.
    act(() => getByRole('button').click());
    expect(getByRole('button').textContent).toBe('aa authenticated alice');
    expect(log).toHaveLength(5);
    expect(log[4]).toBe(log[3]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('a selector returning a fresh object with the default Object.is renders once per change, without a loop', async () => {
    const errors = vi.spyOn(console, 'error');
    const { session, server, wrapper } = setupReactSession();
    const renders: unknown[] = [];
    const { container } = render(<Fresh log={renders} />, { wrapper });
    expect(renders).toHaveLength(1);
    await act(() => session.login(server.login('alice')));
    expect(container.textContent).toBe('authenticated');
    expect(renders).toHaveLength(2);
    expect(errors).not.toHaveBeenCalled();
  });

  it('the selector receives what useSession() returns, and its result is typed', async () => {
    const { session, server, wrapper } = setupReactSession();
    const { result } = renderHook(
      () => ({
        all: useSession(),
        view: useSession((view) => view),
        logout: useSession((view) => view.logout),
        status: useSession((view) => view.status),
      }),
      { wrapper },
    );
    expectTypeOf(result.current.status).toEqualTypeOf<SessionStatus>();
    expectTypeOf(result.current.view).toEqualTypeOf<SessionView>();
    expect(result.current.view).toEqual(result.current.all);
    expect(result.current.logout).toBe(session.logout);
    await act(() => session.login(server.login('alice')));
    expect(result.current.view).toEqual(result.current.all);
    expect(result.current.view).toMatchObject({ status: 'authenticated', session });
  });

  it('a new selector (reading a prop) is used at once, with no change of the session', async () => {
    const { session, server, wrapper } = setupReactSession();
    await session.login(server.login('alice'));
    const { result, rerender } = renderHook(
      ({ field }: { field: 'status' | 'pendingRequests' }) => useSession((view) => view[field]),
      { wrapper, initialProps: { field: 'status' } },
    );
    expect(result.current).toBe('authenticated');
    rerender({ field: 'pendingRequests' });
    expect(result.current).toBe(0);
  });

  it('renders the server snapshot on the server and hydrates without a mismatch', async () => {
    const { session, server, wrapper } = setupReactSession();
    await session.login(server.login('alice'));
    const container = document.createElement('div');
    container.innerHTML = renderToString(wrapper({ children: <StatusAndUser /> }));
    expect(container.textContent).toBe('initializing nobody');
    document.body.append(container);
    const errors = vi.spyOn(console, 'error');
    render(<StatusAndUser />, { wrapper, container, hydrate: true });
    expect(container.textContent).toBe('authenticated alice');
    expect(errors).not.toHaveBeenCalled();
  });
});
