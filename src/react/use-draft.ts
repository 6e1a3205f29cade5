import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { DraftValues, SessionSnapshot } from 'sessionkeeper';
import { useSessionModule } from './context';

/** `useDraft()`: whether a draft was restored, and `discard()`. */
export interface DraftState {
  /** `true` when this sign-in's draft (of the current key) was passed to `setValue`. */
  readonly restored: boolean;
  /** Remove the draft: call it when the server accepted the submit. Resets `restored`. */
  discard(): void;
}

/**
 * The id of the signed-in user, else `null` (also while expired). An id, not the `user` object:
 * a refresh that brings new claims for the same user is no new sign-in.
 */
const signedInId = (snapshot: SessionSnapshot): string | null =>
  snapshot.status === 'authenticated' || snapshot.status === 'refreshing'
    ? (snapshot.user?.id ?? null)
    : null;
const nobody = () => null;

/** What the hook knows of the draft of one key; started afresh when the key changes. */
interface Tracking {
  key: string;
  /** JSON of the value when the key was taken: never saved; coming back to it removes the draft. */
  initial: string;
  /** The value the save effect last acted on: StrictMode's second run of it changes nothing. */
  seen: string;
  /** The latest value. */
  value: unknown;
  /** The value just passed to `setValue` by a restore: already saved when it comes back. */
  restoredJson: string | null;
  /** The signed-in user the draft was last restored for. */
  restoredFor: string | null;
  /**
   * Who changed the value since the last restore: the session's user then (`null`: nobody
   * known); `undefined`: nobody changed it.
   */
  changedBy: string | null | undefined;
}

const track = (key: string, json: string, value: unknown): Tracking => ({
  key,
  initial: json,
  seen: json,
  value,
  restoredJson: null,
  restoredFor: null,
  changedBy: undefined,
});

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `draft` with the user's values of the top-level keys they changed since `initial` (compared
 * as JSON). A value that is not a plain object is the user's as a whole.
 */
function mergeDraft<T extends object>(initial: T, current: T, draft: T): T {
  if (!isPlainObject(current) || !isPlainObject(draft)) return current;
  const before = new Map(Object.entries(initial));
  const now = new Map(Object.entries(current));
  const merged = new Map(Object.entries({ ...current, ...draft }));
  for (const name of new Set([...before.keys(), ...now.keys()])) {
    if (JSON.stringify(now.get(name)) === JSON.stringify(before.get(name))) continue;
    if (now.has(name)) merged.set(name, now.get(name));
    else merged.delete(name);
  }
  // fromEntries, not assignment: a key named `__proto__` stays an ordinary key.
  return Object.fromEntries(merged) as T;
}

/**
 * A draft of controlled state (react-hook-form's `watch()`/`reset`, or `useState`): `value` is
 * saved under `key` as it changes (compared as JSON, debounced by the session's drafts), and once
 * per sign-in — at mount when a user is signed in, and again when a user id signs in into the
 * mounted component (a re-login; a refresh is none) — the signed-in user's stored draft, if any,
 * is passed to `setValue`. The value of the first render is never saved (it must not overwrite a
 * draft about to be restored), and coming back to it (a form reset to its initial values) removes
 * the draft, while a user is signed in.
 *
 * Input typed before that restore is never lost: when the value was changed since mount (not by
 * a restore) by the same user or while nobody was known (e.g. after a reload, before signing in
 * again), `setValue` receives the draft merged with it: the top-level keys the user changed
 * (compared with the value at mount, as JSON) keep the user's values, the others come from the
 * draft; a value that is not a plain object stays the user's. The merged value is then saved when
 * it differs from the stored draft (also when no draft was stored). What another user typed is
 * not merged: their draft replaces it.
 * @param key the draft's name. When it changes, the current value is saved under the old key at
 *   once, then the new key's draft (if any) is passed to `setValue`; the value at the change is
 *   not saved under the new key, and it is the new key's initial value.
 * @param value a JSON-serialisable plain object (an interface type is fine).
 * @param setValue receives the stored (or merged) draft; may be a new function at each render.
 * @throws Error when no `<SessionProvider>` is above the component, or its session has no
 *   `drafts` module.
 * @example
 * const { watch, reset } = useForm({ defaultValues: { title: '', body: '' } });
 * const { restored, discard } = useDraft('post', watch(), reset);
 */
export function useDraft<T extends object>(
  key: string,
  value: T,
  setValue: (draft: T) => void,
): DraftState {
  const [session, drafts] = useSessionModule('useDraft', 'drafts');
  const userId = useSyncExternalStore(
    session.subscribe,
    useCallback(() => signedInId(session.getSnapshot()), [session]),
    nobody,
  );
  const json = JSON.stringify(value);
  const tracking = useRef<Tracking | null>(null);
  tracking.current ??= track(key, json, value);
  const [restored, setRestored] = useState(false);

  // Before the restore below, so that it acts on the value this render was made with.
  useEffect(() => {
    const t = tracking.current as Tracking;
    t.value = value;
    if (json !== t.seen) {
      t.seen = json;
      const comesFromRestore = json === t.restoredJson;
      t.restoredJson = null;
      if (!comesFromRestore) {
        const snapshot = session.getSnapshot();
        t.changedBy = snapshot.user?.id ?? null;
        if (json !== t.initial) drafts.save(t.key, value as DraftValues);
        // Not while signed out: the form may be empty after a reload, the draft is not.
        else if (signedInId(snapshot) !== null) drafts.discard(t.key);
      }
    }
    if (key === t.key) return;
    // A new key: what was typed under the old one is stored now, and the new one starts afresh.
    drafts.flush();
    tracking.current = track(key, json, value);
    setRestored(false);
  }, [session, drafts, key, json, value]);

  useEffect(() => {
    const t = tracking.current as Tracking;
    if (userId === null) {
      t.restoredFor = null;
      return;
    }
    if (t.restoredFor === userId) return;
    t.restoredFor = userId;
    const draft = drafts.load(key) as T | null;
    // Input typed before this restore by this user, or while nobody was known, is newer.
    const typedByThem = t.changedBy === null || t.changedBy === userId;
    t.changedBy = undefined;
    setRestored(draft !== null);
    if (!draft) {
      if (typedByThem && t.seen !== t.initial) drafts.save(key, t.value as DraftValues);
      return;
    }
    let next = draft;
    if (typedByThem) next = mergeDraft(JSON.parse(t.initial) as T, t.value as T, draft);
    const nextJson = JSON.stringify(next);
    t.restoredJson = nextJson === t.seen ? null : nextJson;
    setValue(next);
    if (nextJson !== JSON.stringify(draft)) drafts.save(key, next as DraftValues);
  }, [drafts, key, userId, setValue]);

  const discard = useCallback(() => {
    drafts.discard(key);
    setRestored(false);
  }, [drafts, key]);

  return { restored, discard };
}
