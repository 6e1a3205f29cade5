import { act, fireEvent, render } from '@testing-library/react';
import { useState } from 'react';
import { useDraft, useFormDraft, useIdleTimer, useSession } from 'sessionkeeper/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createIdleTimer } from '../../src/idle';
import { el, typeInto } from '../helpers/draft-forms';
import {
  afterMicrotasks,
  cleanupReact,
  enableAct,
  setupReactSession,
} from '../helpers/react-session';
import { useFakeClock } from '../helpers/session';

beforeEach(() => {
  enableAct();
  useFakeClock();
});
afterEach(cleanupReact);

/** Every hook at once, each holding what it holds: subscriptions, a countdown, a form, a draft. */
function App() {
  const { status } = useSession();
  const { state, remainingMs } = useIdleTimer();
  const { ref } = useFormDraft('contact');
  const [note, setNote] = useState({ text: '' });
  useDraft('note', note, setNote);
  return (
    <main>
      <p>
        {status} {state} {remainingMs}
      </p>
      <form ref={ref}>
        <input name="title" defaultValue="" />
      </form>
      <input name="note" value={note.text} onChange={(e) => setNote({ text: e.target.value })} />
    </main>
  );
}

it('unmounting leaves no listener, no timer and no attached form behind, and loses no draft', async () => {
  const { session, server, counts, win, wrapper } = setupReactSession({
    idle: createIdleTimer({ timeoutMs: 600_000, promptBeforeMs: 60_000 }),
  });
  await act(() => session.login(server.login('alice')));
  await act(() => vi.advanceTimersByTimeAsync(550_000)); // prompted: the countdown runs
  const timers = vi.getTimerCount();
  const windowListeners = win.listenerCount();

  const { unmount } = render(<App />, { wrapper });
  act(() => typeInto(el(document, '[name="title"]'), 'typed just before unmount'));
  act(() => {
    fireEvent.change(el(document, '[name="note"]'), { target: { value: 'a note' } });
  });
  expect(counts.live).toBeGreaterThan(0);
  expect(counts.attached).toBe(1);
  expect(vi.getTimerCount()).toBeGreaterThan(timers);

  unmount();
  await act(afterMicrotasks);
  expect(counts.live).toBe(0);
  expect(counts.attached).toBe(0);
  // What is left is the session's own: its pending saves written, the countdown gone.
  session.drafts.flush();
  expect(vi.getTimerCount()).toBe(timers);
  expect(win.listenerCount()).toBe(windowListeners);
  expect(session.drafts.load('contact')).toEqual({ title: 'typed just before unmount' });
  expect(session.drafts.load('note')).toEqual({ text: 'a note' });
});
