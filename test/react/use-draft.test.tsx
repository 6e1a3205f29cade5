import { act, fireEvent, render } from '@testing-library/react';
import { useState } from 'react';
import { useDraft, useSession } from 'sessionkeeper/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { el } from '../helpers/draft-forms';
import { cleanupReact, enableAct, setupReactSession } from '../helpers/react-session';
import { useFakeClock } from '../helpers/session';

beforeEach(() => {
  enableAct();
  useFakeClock();
});
afterEach(cleanupReact);

interface Post {
  title: string;
}

const EMPTY: Post = { title: '' };

/** A controlled input whose state is kept as a draft; `onSet` sees every `setValue(draft)`. */
function Editor({ onSet }: { onSet?: (draft: Post) => void }) {
  const [post, setPost] = useState(EMPTY);
  const { restored, discard } = useDraft(
    'post',
    post,
    onSet
      ? (draft) => {
          onSet(draft);
          setPost(draft);
        }
      : setPost,
  );
  return (
    <form>
      <input
        name="title"
        value={post.title}
        onChange={(event) => setPost({ title: event.target.value })}
      />
      {restored && (
        <button type="button" onClick={discard}>
          Discard restored draft
        </button>
      )}
      <button type="button" onClick={() => setPost(EMPTY)}>
        Reset
      </button>
    </form>
  );
}

function Page() {
  const { status } = useSession();
  return status === 'authenticated' ? <Editor /> : <p>Please sign in</p>;
}

const title = () => el<HTMLInputElement>(document, '[name="title"]');
const type = (value: string) => act(() => fireEvent.change(title(), { target: { value } }));
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('useDraft', () => {
  it('restores a controlled input when the user signs in again into the mounted page', async () => {
    // Alice typed, then her session expired and the page was reloaded.
    const before = setupReactSession();
    await act(() => before.session.login(before.server.login('alice')));
    const first = render(<Editor />, { wrapper: before.wrapper });
    type('Hello');
    await advance(300);
    act(() => before.session.expire());
    first.unmount();
    before.session.destroy();

    // The same browser storage and server after the reload.
    const reloaded = setupReactSession({
      env: { localStorage: before.localStorage, fetch: before.server.fetch },
    });
    const onSet = vi.fn();
    const view = render(<Editor onSet={onSet} />, { wrapper: reloaded.wrapper });
    expect(title().value).toBe(''); // nobody signed in yet
    await act(() => reloaded.session.login(before.server.login('alice')));
    expect(title().value).toBe('Hello');
    expect(onSet).toHaveBeenCalledExactlyOnceWith({ title: 'Hello' });
    expect(view.getByRole('button', { name: 'Discard restored draft' })).toBeTruthy();
  });

  it('restores a remounted input after expiry and re-login of the same user, not for another user', async () => {
    const { session, server, wrapper, localStorage } = setupReactSession();
    await act(() => session.login(server.login('alice')));
    render(<Page />, { wrapper });
    type('Draft of alice');
    act(() => session.expire()); // flushes the pending save at once
    expect(localStorage.dump()).toContain('Draft of alice');
    expect(session.drafts.load('post')).toBeNull(); // not until alice signed in again

    await act(() => session.login(server.login('alice')));
    expect(title().value).toBe('Draft of alice');

    act(() => session.expire());
    await act(() => session.login(server.login('bob')));
    expect(title().value).toBe('');
    expect(session.drafts.load('post')).toBeNull();
  });

  it('restores once per sign-in: a token refresh is no new sign-in', async () => {
    const { session, server, wrapper } = setupReactSession();
    await act(() => session.login(server.login('alice')));
    session.drafts.save('post', { title: 'stored' });
    const onSet = vi.fn();
    render(<Editor onSet={onSet} />, { wrapper });
    expect(onSet).toHaveBeenCalledOnce();
    type('stored, edited');
    await act(() => session.refresh());
    expect(onSet).toHaveBeenCalledOnce();
    expect(title().value).toBe('stored, edited');

    act(() => session.expire());
    await act(() => session.login(server.login('alice')));
    expect(onSet).toHaveBeenCalledTimes(2);
    expect(onSet).toHaveBeenLastCalledWith({ title: 'stored, edited' });
  });

  it('under StrictMode restores once and never saves the initial value over the draft', async () => {
    const { session, server, wrapper, localStorage } = setupReactSession();
    await act(() => session.login(server.login('alice')));
    session.drafts.save('post', { title: 'kept' });
    session.drafts.flush();
    const writes = localStorage.writes;
    const save = vi.spyOn(session.drafts, 'save');
    const discard = vi.spyOn(session.drafts, 'discard');
    const onSet = vi.fn();
    render(<Editor onSet={onSet} />, { wrapper, reactStrictMode: true });
    await advance(1_000);
    expect(onSet).toHaveBeenCalledExactlyOnceWith({ title: 'kept' });
    expect(title().value).toBe('kept');
    // Neither the initial '' nor the restored value went back to the store, nothing was removed.
    expect(save).not.toHaveBeenCalled();
    expect(discard).not.toHaveBeenCalled();
    expect(localStorage.writes).toBe(writes);
    expect(session.drafts.load('post')).toEqual({ title: 'kept' });
  });

  it('saves as the value changes, debounced', async () => {
    const { session, server, wrapper, localStorage } = setupReactSession();
    await act(() => session.login(server.login('alice')));
    render(<Editor />, { wrapper });
    const writes = localStorage.writes;
    type('H');
    type('He');
    type('Hey');
    expect(localStorage.writes).toBe(writes);
    await advance(300);
    expect(localStorage.writes).toBe(writes + 1);
    expect(session.drafts.load('post')).toEqual({ title: 'Hey' });
  });

  it('discard() removes the draft; going back to the initial value removes it too', async () => {
    const { session, server, wrapper } = setupReactSession();
    await act(() => session.login(server.login('alice')));
    session.drafts.save('post', { title: 'restored' });
    const view = render(<Editor />, { wrapper });
    act(() => view.getByRole('button', { name: 'Discard restored draft' }).click());
    expect(view.queryByRole('button', { name: 'Discard restored draft' })).toBeNull();
    expect(session.drafts.load('post')).toBeNull();
    expect(title().value).toBe('restored'); // the state is the app's

    type('typed again');
    await advance(300);
    expect(session.drafts.load('post')).toEqual({ title: 'typed again' });
    act(() => view.getByRole('button', { name: 'Reset' }).click());
    expect(session.drafts.load('post')).toBeNull();
  });

  it('unmounting leaves no listener behind', async () => {
    const { session, server, counts, wrapper } = setupReactSession();
    await act(() => session.login(server.login('alice')));
    const { unmount } = render(<Editor />, { wrapper });
    expect(counts.live).toBe(1);
    unmount();
    expect(counts.live).toBe(0);
  });
});
