import { act, render } from '@testing-library/react';
import { useFormDraft, useSession } from 'sessionkeeper/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

function Contact({ draftKey = 'contact' }: { draftKey?: string }) {
  const { ref, restored, discard } = useFormDraft(draftKey);
  return (
    <form ref={ref}>
      <input name="title" defaultValue="" />
      <textarea name="body" defaultValue="" />
      {restored && (
        <p role="status">
          Restored your unsaved changes
          <button type="button" onClick={discard}>
            Discard
          </button>
        </p>
      )}
    </form>
  );
}

/** The form only while signed in: an expired session unmounts it (a login page instead). */
function Page() {
  const { status } = useSession();
  return status === 'authenticated' ? <Contact /> : <p>Please sign in</p>;
}

const field = (name: string) =>
  el<HTMLInputElement | HTMLTextAreaElement>(document, `[name="${name}"]`);

/** Alice signs in, fills the form, and her session is forced to end. */
async function aliceTypesThenExpires(options: { strict?: boolean } = {}) {
  const setup = setupReactSession();
  const { session, server, wrapper } = setup;
  await act(() => session.login(server.login('alice')));
  const view = render(<Page />, { wrapper, reactStrictMode: options.strict ?? false });
  act(() => {
    typeInto(field('title'), 'Quarterly report');
    typeInto(field('body'), 'Numbers are up');
  });
  act(() => session.expire());
  await act(afterMicrotasks);
  expect(view.queryByRole('textbox')).toBeNull();
  return { ...setup, view };
}

describe('useFormDraft', () => {
  it('throws an error naming the missing module when the session has no draft store', () => {
    const { wrapper } = setupReactSession({}, {}, false);
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the thrown error
    expect(() => render(<Contact />, { wrapper })).toThrow(
      "sessionkeeper/react: useFormDraft() needs the drafts module: createSession({ drafts: createDraftStore() }) with createDraftStore from 'sessionkeeper/drafts'",
    );
  });

  it('restores the form after the session expired and the same user signed in again', async () => {
    const { session, server, view, counts } = await aliceTypesThenExpires();
    expect(counts.attached).toBe(0);
    await act(() => session.login(server.login('alice')));
    expect(field('title').value).toBe('Quarterly report');
    expect(field('body').value).toBe('Numbers are up');
    expect(view.getByRole('status').textContent).toContain('Restored your unsaved changes');
  });

  it('does not restore it for another user, whose login purges the draft', async () => {
    const { session, server, view, localStorage } = await aliceTypesThenExpires();
    expect(localStorage.dump()).toContain('Quarterly report');
    await act(() => session.login(server.login('bob')));
    expect(field('title').value).toBe('');
    expect(field('body').value).toBe('');
    expect(view.queryByRole('status')).toBeNull();
    expect(localStorage.dump()).not.toContain('Quarterly report');
  });

  it('under StrictMode attaches each mounted form once and loses no draft', async () => {
    const { session, server, view, counts, localStorage } = await aliceTypesThenExpires({
      strict: true,
    });
    expect(counts.attachCalls).toBe(1);
    // Stored, but not shown (nor loadable) before its owner signs in again.
    expect(localStorage.dump()).toContain('Numbers are up');
    expect(session.drafts.load('contact')).toBeNull();
    await act(() => session.login(server.login('alice')));
    expect(counts.attachCalls).toBe(2);
    expect(counts.attached).toBe(1);
    expect(field('title').value).toBe('Quarterly report');
    expect(view.getByRole('status')).toBeTruthy();
    // Still attached: typing is saved (after the debounce).
    act(() => typeInto(field('title'), 'Quarterly report, final'));
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(session.drafts.load('contact')).toMatchObject({ title: 'Quarterly report, final' });
  });

  it('discard() removes the draft and the banner', async () => {
    const { session, server, view } = await aliceTypesThenExpires();
    await act(() => session.login(server.login('alice')));
    act(() => view.getByRole('button', { name: 'Discard' }).click());
    expect(view.queryByRole('status')).toBeNull();
    expect(session.drafts.load('contact')).toBeNull();
  });

  it('re-rendering keeps the attachment; a new key replaces it; unmounting detaches', async () => {
    const { session, server, counts, wrapper } = setupReactSession();
    await act(() => session.login(server.login('alice')));
    const { rerender, unmount } = render(<Contact draftKey="a" />, { wrapper });
    for (let i = 0; i < 20; i++) rerender(<Contact draftKey="a" />);
    expect(counts.attachCalls).toBe(1);

    rerender(<Contact draftKey="b" />);
    await act(afterMicrotasks);
    expect(counts.attachCalls).toBe(2);
    expect(counts.attached).toBe(1);
    act(() => typeInto(field('title'), 'under b'));
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(session.drafts.load('b')).toMatchObject({ title: 'under b' });
    expect(session.drafts.load('a')).toBeNull();

    unmount();
    await act(afterMicrotasks);
    expect(counts.attached).toBe(0);
    expect(counts.live).toBe(0);
  });

  it('a restore of another key does not mark this form restored', async () => {
    const { session, server, wrapper } = setupReactSession();
    await act(() => session.login(server.login('alice')));
    session.drafts.save('other', { title: 'elsewhere' });
    session.drafts.flush();
    const view = render(
      <>
        <Contact draftKey="contact" />
        <Contact draftKey="other" />
      </>,
      { wrapper },
    );
    expect(view.getAllByRole('status')).toHaveLength(1);
    expect(view.getAllByRole('textbox').map((f) => (f as HTMLInputElement).value)).toEqual([
      '',
      '',
      'elsewhere',
      '',
    ]);
  });
});

/** A public contact form: `anonymous`, with its own `exclude` predicate (inline, new each render). */
function PublicContact({ ttlMs }: { ttlMs?: number }) {
  const { ref, restored } = useFormDraft('contact', {
    anonymous: true,
    exclude: (field) => field.getAttribute('name') === 'phone',
    ttlMs,
  });
  return (
    <form ref={ref}>
      <input name="title" defaultValue="" />
      <input name="phone" defaultValue="" />
      {restored && <p role="status">Restored</p>}
    </form>
  );
}

describe('useFormDraft(key, options)', () => {
  it('passes the form’s options to attach: a visitor’s draft comes back, without excluded fields', async () => {
    const { wrapper, localStorage, counts } = setupReactSession();
    const view = render(<PublicContact ttlMs={60_000} />, { wrapper });
    act(() => {
      typeInto(field('title'), 'A question');
      typeInto(field('phone'), '555-0100');
    });
    for (let i = 0; i < 5; i++) view.rerender(<PublicContact ttlMs={60_000} />);
    expect(counts.attachCalls).toBe(1); // an inline predicate is no reason to attach again
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(localStorage.dump()).toContain('A question');
    expect(localStorage.dump()).not.toContain('555-0100');
    view.unmount();
    await act(afterMicrotasks);
    const again = render(<PublicContact ttlMs={60_000} />, { wrapper });
    expect(field('title').value).toBe('A question');
    expect(again.getByRole('status')).toBeTruthy();
    again.unmount();
    await act(afterMicrotasks);
    await act(() => vi.advanceTimersByTimeAsync(60_001));
    render(<PublicContact ttlMs={60_000} />, { wrapper });
    expect(field('title').value).toBe('');
  });

  it('attaches again when an option changes', async () => {
    const { wrapper, counts } = setupReactSession();
    const view = render(<PublicContact />, { wrapper });
    view.rerender(<PublicContact ttlMs={1_000} />);
    await act(afterMicrotasks);
    expect(counts.attachCalls).toBe(2);
    expect(counts.attached).toBe(1);
  });
});
