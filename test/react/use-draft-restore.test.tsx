import { act, fireEvent, render } from '@testing-library/react';
import { useState } from 'react';
import type { Session, SessionSnapshot } from 'sessionkeeper';
import { useDraft } from 'sessionkeeper/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDraftStore } from '../../src/drafts';
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
  body: string;
}

const EMPTY: Post = { title: '', body: '' };
const STORED: Post = { title: 'OLD title', body: 'Stored body' };

/** A controlled editor kept as the `post` draft; `onSet` sees every `setValue(draft)`. */
function Editor({ onSet = () => {} }: { onSet?: (draft: Post) => void }) {
  const [post, setPost] = useState(EMPTY);
  const { restored } = useDraft('post', post, (draft) => {
    onSet(draft);
    setPost(draft);
  });
  return (
    <form>
      <input
        name="title"
        value={post.title}
        onChange={(event) => setPost({ ...post, title: event.target.value })}
      />
      <textarea
        name="body"
        value={post.body}
        onChange={(event) => setPost({ ...post, body: event.target.value })}
      />
      {restored && <p>Restored</p>}
    </form>
  );
}

const field = (name: string) => el<HTMLInputElement>(document, `[name="${name}"]`);
const type = (name: string, value: string) =>
  act(() => fireEvent.change(field(name), { target: { value } }));
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

/**
 * A page reloaded after alice's draft was stored: nobody is signed in yet. `expired`: the session
 * was expired at the reload, so the drafts know alice but she is not signed in (what the core
 * does at start-up for an expired session).
 */
async function reloadedWithDraft(draft: Post | null = STORED, expired = false) {
  const before = setupReactSession();
  await before.session.login(before.server.login('alice'));
  if (draft) before.session.drafts.save('post', { ...draft });
  before.session.drafts.flush();
  before.session.destroy();
  const page = setupReactSession({
    env: { localStorage: before.localStorage, fetch: before.server.fetch },
  });
  if (expired) page.session.drafts.setScope('alice', { signedIn: false });
  const signIn = () => act(() => page.session.login(before.server.login('alice')));
  return { ...page, localStorage: before.localStorage, signIn };
}

/** Give every new snapshot a new `user` object, as the core will when a refresh brings claims. */
function newUserObjectPerSnapshot(session: Session) {
  const snapshot = session.getSnapshot;
  let last: SessionSnapshot | undefined;
  let copy: SessionSnapshot | undefined;
  session.getSnapshot = () => {
    const current = snapshot();
    if (current !== last) {
      last = current;
      copy = current.user ? { ...current, user: { ...current.user } } : current;
    }
    return copy as SessionSnapshot;
  };
}

describe('useDraft and input typed before the restore', () => {
  it.each([
    ['nobody known', false],
    ['the session expired', true],
  ])(
    'keeps the fields typed before the sign-in, takes the others from the draft, and saves the merge (%s)',
    async (_, expired) => {
      const { session, signIn, localStorage, wrapper } = await reloadedWithDraft(STORED, expired);
      const onSet = vi.fn();
      const view = render(<Editor onSet={onSet} />, { wrapper });
      type('title', 'NEW title typed before signing in');
      await signIn();
      const merged = { title: 'NEW title typed before signing in', body: 'Stored body' };
      expect(field('title').value).toBe(merged.title);
      expect(field('body').value).toBe('Stored body');
      expect(onSet).toHaveBeenCalledExactlyOnceWith(merged);
      expect(view.getByText('Restored')).toBeTruthy();
      await advance(300);
      expect(session.drafts.load('post')).toEqual(merged);
      expect(localStorage.dump()).toContain('NEW title typed before signing in');
    },
  );

  it('keeps what is typed after the sign-in: a refresh with a new user object is no new sign-in', async () => {
    const { session, signIn, wrapper } = await reloadedWithDraft();
    newUserObjectPerSnapshot(session);
    const onSet = vi.fn();
    render(<Editor onSet={onSet} />, { wrapper });
    await signIn();
    expect(onSet).toHaveBeenCalledExactlyOnceWith(STORED);
    type('title', 'NEW title typed after signing in');
    await act(() => session.refresh());
    await advance(300);
    expect(onSet).toHaveBeenCalledOnce();
    expect(field('title').value).toBe('NEW title typed after signing in');
    expect(session.drafts.load('post')).toEqual({ ...STORED, title: field('title').value });
  });

  it('saves the input typed before the sign-in when no draft is stored', async () => {
    const { session, signIn, wrapper } = await reloadedWithDraft(null);
    const onSet = vi.fn();
    render(<Editor onSet={onSet} />, { wrapper });
    type('body', 'typed before signing in');
    await signIn();
    session.drafts.flush();
    expect(onSet).not.toHaveBeenCalled();
    expect(session.drafts.load('post')).toEqual({ title: '', body: 'typed before signing in' });
  });

  it.each([
    ['nobody known', false],
    ['the session expired', true],
  ])(
    'typing back to the initial value while signed out does not remove the stored draft (%s)',
    async (_, expired) => {
      const { session, signIn, wrapper } = await reloadedWithDraft(STORED, expired);
      render(<Editor />, { wrapper });
      type('title', 'x');
      type('title', '');
      await signIn();
      expect(field('title').value).toBe('OLD title');
      expect(session.drafts.load('post')).toEqual(STORED);
    },
  );

  it('what another user typed is not merged into the next user’s draft', async () => {
    const { session, server, wrapper } = setupReactSession({
      drafts: createDraftStore({ keepOtherUsers: true }),
    });
    await act(() => session.login(server.login('bob')));
    session.drafts.save('post', { title: 'Bob title', body: 'Bob body' });
    act(() => session.expire());
    await act(() => session.login(server.login('alice')));
    render(<Editor />, { wrapper });
    type('title', 'Alice title');
    act(() => session.expire());
    await act(() => session.login(server.login('bob')));
    expect(field('title').value).toBe('Bob title');
    await advance(1_000);
    expect(session.drafts.load('post')).toEqual({ title: 'Bob title', body: 'Bob body' });
  });
});
