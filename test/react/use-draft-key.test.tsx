import { act, fireEvent, render } from '@testing-library/react';
import { useState } from 'react';
import { useDraft } from 'sessionkeeper/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { el } from '../helpers/draft-forms';
import { cleanupReact, enableAct, setupReactSession } from '../helpers/react-session';
import { useFakeClock } from '../helpers/session';

beforeEach(() => {
  enableAct();
  useFakeClock();
});
afterEach(cleanupReact);

interface Note {
  text: string;
}

/** One controlled editor whose draft key is a prop (the app switches records in place). */
function Editor({ draftKey, onSet = () => {} }: { draftKey: string; onSet?: (d: Note) => void }) {
  const [note, setNote] = useState<Note>({ text: '' });
  const { restored } = useDraft(draftKey, note, (draft) => {
    onSet(draft);
    setNote(draft);
  });
  return (
    <form>
      <input name="text" value={note.text} onChange={(e) => setNote({ text: e.target.value })} />
      {restored && <p>Restored</p>}
    </form>
  );
}

const text = () => el<HTMLInputElement>(document, '[name="text"]');
const type = (value: string) => act(() => fireEvent.change(text(), { target: { value } }));
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

async function signedIn(strict = false) {
  const setup = setupReactSession();
  await act(() => setup.session.login(setup.server.login('alice')));
  setup.session.drafts.save('b', { text: 'stored draft of b' });
  setup.session.drafts.flush();
  const onSet = vi.fn();
  const view = render(<Editor draftKey="a" onSet={onSet} />, {
    wrapper: setup.wrapper,
    reactStrictMode: strict,
  });
  const switchTo = (draftKey: string) =>
    view.rerender(<Editor draftKey={draftKey} onSet={onSet} />);
  return { ...setup, view, onSet, switchTo };
}

describe('useDraft with a key that changes while mounted', () => {
  it.each([
    ['', false],
    [' (StrictMode)', true],
  ])(
    'saves the value under the old key at once, then restores the new key’s draft%s',
    async (_, strict) => {
      const { session, localStorage, view, onSet, switchTo } = await signedIn(strict);
      type('typed under a');
      switchTo('b');
      // Written at once (no debounce), under `a` only.
      expect(localStorage.dump()).toContain('typed under a');
      expect(session.drafts.load('a')).toEqual({ text: 'typed under a' });
      expect(text().value).toBe('stored draft of b');
      expect(onSet).toHaveBeenCalledExactlyOnceWith({ text: 'stored draft of b' });
      expect(view.getByText('Restored')).toBeTruthy();
      await advance(1_000);
      expect(session.drafts.load('b')).toEqual({ text: 'stored draft of b' });

      type('b edited');
      await advance(300);
      expect(session.drafts.load('b')).toEqual({ text: 'b edited' });
      expect(session.drafts.load('a')).toEqual({ text: 'typed under a' });
    },
  );

  it('a new key without a draft keeps the value, and nothing is saved under it until it changes', async () => {
    const { session, view, onSet, switchTo } = await signedIn();
    type('typed under a');
    switchTo('c');
    await advance(1_000);
    expect(text().value).toBe('typed under a');
    expect(onSet).not.toHaveBeenCalled();
    expect(view.queryByText('Restored')).toBeNull();
    expect(session.drafts.load('c')).toBeNull();
    expect(session.drafts.load('a')).toEqual({ text: 'typed under a' });
  });

  it('switching back restores what was typed under the first key', async () => {
    const { session, switchTo } = await signedIn();
    type('typed under a');
    switchTo('b');
    switchTo('a');
    expect(text().value).toBe('typed under a');
    await advance(1_000);
    expect(session.drafts.load('b')).toEqual({ text: 'stored draft of b' });
  });
});
