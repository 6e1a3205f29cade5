import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { DraftValues, SessionSnapshot, SessionUser } from 'sessionkeeper';
import { useSessionInstance } from './context';

/** `useDraft()`: whether a draft was restored, and `discard()`. */
export interface DraftState {
  /** `true` when this sign-in's draft was passed to `setValue`. */
  readonly restored: boolean;
  /** Remove the draft: call it when the server accepted the submit. Resets `restored`. */
  discard(): void;
}

/** The user of the current sign-in: a new object at each sign-in, kept across token refreshes. */
const signedIn = (snapshot: SessionSnapshot): SessionUser | null =>
  snapshot.status === 'authenticated' || snapshot.status === 'refreshing' ? snapshot.user : null;
const nobody = () => null;

/**
 * A draft of controlled state (react-hook-form's `watch()`/`reset`, or `useState`): `value` is
 * saved under `key` as it changes (compared as JSON, debounced by the session's drafts), and once
 * per sign-in — at mount when a user is signed in, and again after a re-login into the mounted
 * component — the signed-in user's stored draft, if any, is passed to `setValue`. The value of
 * the first render is never saved (it must not overwrite a draft about to be restored), and
 * coming back to it (a form reset to its initial values) removes the draft.
 * @param key the draft's name, fixed for the component's life: to edit another record, give the
 *   component a React `key` so that it mounts afresh (and restores that record's draft).
 * @param value a JSON-serialisable plain object (an interface type is fine).
 * @param setValue receives the stored draft; may be a new function at each render.
 * @throws Error when no `<SessionProvider>` is above the component.
 * @example
 * const { watch, reset } = useForm({ defaultValues: { title: '', body: '' } });
 * const { restored, discard } = useDraft('post', watch(), reset);
 */
export function useDraft<T extends object>(
  key: string,
  value: T,
  setValue: (draft: T) => void,
): DraftState {
  const session = useSessionInstance();
  const { drafts } = session;
  const user = useSyncExternalStore(
    session.subscribe,
    useCallback(() => signedIn(session.getSnapshot()), [session]),
    nobody,
  );
  const json = JSON.stringify(value);
  const initial = useRef(json);
  // The value the save below last acted on: StrictMode's second run of it changes nothing.
  const seen = useRef(json);
  // The draft just passed to `setValue`: already in storage when it comes back as `value`.
  const restoredJson = useRef<string | null>(null);
  const restoredFor = useRef<SessionUser | null>(null);
  const [restored, setRestored] = useState(false);

  // Before the restore below, so that it acts on the value this render was made with.
  useEffect(() => {
    if (json === seen.current) return;
    seen.current = json;
    const comesFromRestore = json === restoredJson.current;
    restoredJson.current = null;
    if (comesFromRestore) return;
    if (json === initial.current) drafts.discard(key);
    else drafts.save(key, value as DraftValues);
  }, [drafts, key, json, value]);

  useEffect(() => {
    if (!user || restoredFor.current === user) return;
    restoredFor.current = user;
    const draft = drafts.load(key) as T | null;
    setRestored(draft !== null);
    if (draft) {
      restoredJson.current = JSON.stringify(draft);
      setValue(draft);
    }
  }, [drafts, key, user, setValue]);

  const discard = useCallback(() => {
    drafts.discard(key);
    setRestored(false);
  }, [drafts, key]);

  return { restored, discard };
}
