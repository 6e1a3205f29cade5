import { CONNECT, type Connectable, type SessionPort } from '../core/modules';
import { createEmitter } from '../lib/emitter';
import { listenWindow, resolveEnv, switchableEnv } from '../lib/env';
import { DEFAULT_NAME } from '../lib/names';
import { type AttachedForm, attachForm } from './attach';
import { connectDrafts } from './connect';
import { createDraftStorage } from './draft-storage';
import { createPendingSaves, type PendingSave } from './pending-saves';
import type {
  DraftScopeOptions,
  DraftStore,
  DraftStoreEventMap,
  DraftStoreOptions,
  DraftValues,
} from './types';

/** How long a draft is kept: 24 h, in ms. */
export const DEFAULT_DRAFT_TTL_MS = 86_400_000;
/** Save this long after the last change, in ms. */
export const DEFAULT_DRAFT_DEBOUNCE_MS = 300;

const PAGE_EVENTS = ['pagehide', 'visibilitychange'] as const;

/**
 * A standalone form-draft store: what the user types into attached forms is saved (debounced)
 * per user and form key, restored when that user is signed in again, and purged for anyone else.
 * While the user in scope is not signed in (`setScope(id, { signedIn: false })`), nothing is
 * written, restored or loaded.
 * Storage failures never throw into the app: they are `error` events and the latest draft stays
 * in memory until a later `flush()` can write it. Draft contents are never logged.
 * @example
 * const drafts = createDraftStore({ scope: user.id });
 * const detach = drafts.attach(form, { key: 'contact' });
 * drafts.on('draft-restored', ({ fields }) => showBanner(fields));
 * // after the server accepted the submit:
 * drafts.discard('contact');
 * // Or give it to a session, which scopes it to the signed-in user:
 * createSession({ refresh, drafts: createDraftStore() });
 */
export function createDraftStore(options: DraftStoreOptions = {}): DraftStore {
  // Filled in from the session's env when the store is given to a session without one.
  let resolved = resolveEnv(options.env);
  const env = switchableEnv(() => resolved);
  const autoRestore = (options.restore ?? 'auto') === 'auto';
  const { keepOtherUsers } = options;
  const emitter = createEmitter<DraftStoreEventMap>();
  const openStorage = (name: string) =>
    createDraftStorage(
      env,
      options.storage ?? 'local',
      name,
      options.ttlMs ?? DEFAULT_DRAFT_TTL_MS,
      (error) => emitter.emit('error', { error, source: 'drafts' }),
    );
  let storage = openStorage(options.name ?? DEFAULT_NAME);
  let connected = false;
  const forms = new Map<string, AttachedForm>();
  const pending = createPendingSaves(
    env,
    options.debounceMs ?? DEFAULT_DRAFT_DEBOUNCE_MS,
    write,
    syncPageListeners,
  );
  // Users and keys this page has seen: what a purge can still find in a storage without keys().
  const knownUsers = new Set<string>();
  const knownKeys = new Set<string>();
  let scope: string | null = options.scope ?? null;
  if (scope !== null) knownUsers.add(scope);
  // The user in scope is known but not signed in (a forced re-login): storage is off limits.
  let suspended = false;
  let destroyed = false;
  let unlistenPage: (() => void) | undefined;

  function onPageEvent(event: Event): void {
    if (event.type !== 'visibilitychange' || !env.isVisible()) flush();
  }

  /** Page listeners live only while there is something to flush. */
  function syncPageListeners(): void {
    if (!destroyed && (forms.size || pending.size)) {
      unlistenPage ??= listenWindow(env, PAGE_EVENTS, onPageEvent);
    } else {
      unlistenPage?.();
      unlistenPage = undefined;
    }
  }

  function schedule(key: string, json: string | undefined): void {
    if (!destroyed && scope !== null && !suspended) pending.schedule(key, { userId: scope, json });
  }

  /** Store one pending save; `false` keeps it (values included) for a later flush. */
  function write(key: string, save: PendingSave): boolean {
    if (suspended) return false;
    const form = save.json === undefined ? forms.get(key) : undefined;
    if (form) save.json = JSON.stringify(form.read(save.userId));
    if (save.json === undefined) return true;
    if (!storage.write(save.userId, key, save.json)) return false;
    form?.forgetEdits();
    emitter.emit('draft-saved', { key });
    return true;
  }

  function flush(): void {
    for (const key of [...pending.keys()]) pending.flush(key);
  }

  function load(key: string): DraftValues | null {
    if (destroyed || scope === null || suspended) return null;
    knownKeys.add(key);
    const save = pending.get(key);
    if (save?.userId === scope) {
      if (save.json !== undefined) return JSON.parse(save.json) as DraftValues;
      const form = forms.get(key);
      if (form) return form.read(scope);
    }
    return storage.read(scope, key);
  }

  /** Fill the form of `key` from its draft (`draft-restored` is emitted by the form). */
  function restoreForm(key: string, skipEdited: boolean, form = forms.get(key)): string[] {
    const values = form && load(key);
    return values && scope !== null ? form.apply(values, skipEdited, scope) : [];
  }

  const knownDrafts = () =>
    [...knownUsers].flatMap((user) => [...knownKeys].map((key) => [user, key] as const));

  /** Stop watching the form of `key`, first writing what the user typed in its last moments. */
  function detachForm(key: string): void {
    const form = forms.get(key);
    if (!form) return;
    pending.flush(key);
    form.detach();
    forms.delete(key);
    syncPageListeners();
  }

  function purge(userId?: string): void {
    if (destroyed) return;
    const matches = (user: string) => userId === undefined || user === userId;
    for (const [key, save] of pending) if (matches(save.userId)) pending.cancel(key);
    if (scope !== null && matches(scope)) for (const form of forms.values()) form.clearAwaiting();
    storage.removeUsers(matches, false, knownDrafts);
  }

  /** `userId`'s session was forced to end: write what is pending, then keep away from storage. */
  function suspend(userId: string): void {
    if (userId === scope && suspended) return;
    flush();
    for (const form of forms.values()) form.clearAwaiting();
    scope = userId;
    suspended = true;
    knownUsers.add(userId);
  }

  function setScope(userId: string | null, { signedIn = true }: DraftScopeOptions = {}): void {
    if (destroyed) return;
    if (userId !== null && !signedIn) {
      suspend(userId);
      return;
    }
    suspended = false;
    if (userId !== scope) {
      scope = userId;
      for (const form of forms.values()) form.clearAwaiting();
      if (userId === null || keepOtherUsers) flush();
      if (userId === null) return;
      knownUsers.add(userId);
      for (const [key, save] of pending) if (save.userId !== userId) pending.cancel(key);
      storage.removeUsers((user) => !keepOtherUsers && user !== userId, true, knownDrafts);
    }
    if (userId === null) return;
    // Also for the same user signing in again (a forced re-login): forms attached meanwhile may
    // have been reset by the app; fill in what is stored, leaving the fields they edited alone,
    // then save those edits (made while signed out) with the restored values.
    for (const [key, form] of [...forms]) {
      form.claim(userId);
      if (autoRestore) restoreForm(key, true, form);
      if (form.hasUnsavedEdits(userId)) schedule(key, undefined);
    }
  }

  /** Given to a session: use its env and name unless told otherwise, and follow it. */
  function connect(port: SessionPort): void {
    if (connected) throw new TypeError('This draft store was already given to a session');
    connected = true;
    if (!options.env) resolved = resolveEnv(port.env);
    if (options.name === undefined) storage = openStorage(port.name);
    connectDrafts(store, port);
  }

  const store: DraftStore & Connectable = {
    attach(form, { key }) {
      if (destroyed) return () => {};
      detachForm(key);
      const attached = attachForm(form, options.exclude, env, {
        user: () => scope,
        signedIn: () => scope !== null && !suspended,
        onEdit: () => schedule(key, undefined),
        onRestore: (fields) => emitter.emit('draft-restored', { key, fields }),
      });
      forms.set(key, attached);
      knownKeys.add(key);
      syncPageListeners();
      if (autoRestore) restoreForm(key, false);
      return () => {
        if (forms.get(key) === attached) detachForm(key);
      };
    },
    restore: (key) => restoreForm(key, false),
    save(key, values) {
      // Only a plain object (`null` prototype included): not null, a primitive or an array.
      const proto =
        typeof values === 'object' &&
        values !== null &&
        !Array.isArray(values) &&
        Object.getPrototypeOf(values);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError('Draft values must be a plain object');
      }
      schedule(key, JSON.stringify(values));
      knownKeys.add(key);
    },
    load,
    discard(key) {
      if (destroyed) return;
      const save = pending.cancel(key);
      forms.get(key)?.clearAwaiting();
      for (const user of new Set([scope, save?.userId])) {
        if (typeof user === 'string') storage.remove(user, key);
      }
    },
    flush,
    purge,
    setScope,
    getScope: () => scope,
    on: emitter.on,
    destroy() {
      if (destroyed) return;
      flush();
      for (const form of forms.values()) form.detach();
      forms.clear();
      for (const key of [...pending.keys()]) pending.cancel(key);
      destroyed = true;
      syncPageListeners();
      emitter.clear();
    },
    [CONNECT]: connect,
  };
  return store;
}
