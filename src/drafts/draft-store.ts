import { CONNECT, type Connectable, type SessionPort } from '../core/modules';
import { createEmitter } from '../lib/emitter';
import { resolveEnv, switchableEnv } from '../lib/env';
import { DEFAULT_NAME } from '../lib/names';
import { type AttachedForm, attachForm } from './attach';
import { connectDrafts } from './connect';
import { createDraftScope } from './draft-scope';
import { createDraftStorage, type DraftOwner, fieldsJson } from './draft-storage';
import { createPageFlush } from './page-flush';
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

/**
 * A standalone form-draft store: what the user types into attached forms is saved (debounced)
 * per user and form key, restored when that user is signed in again, and purged for anyone else.
 * While the user in scope is not signed in (`setScope(id, { signedIn: false })`), nothing is
 * written, restored or loaded. Forms attached with `anonymous: true` (public forms) keep a draft
 * of their own while nobody is signed in, purged at the next sign-in unless `keepAnonymous`.
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
  let destroyed = false;
  const forms = new Map<string, AttachedForm>();
  // Page listeners live only while there is something to flush.
  const syncPageListeners = createPageFlush(
    env,
    flush,
    () => !destroyed && (forms.size > 0 || pending.size > 0),
  );
  const pending = createPendingSaves(
    env,
    options.debounceMs ?? DEFAULT_DRAFT_DEBOUNCE_MS,
    write,
    syncPageListeners,
  );
  // Owners and keys this page has seen: what a purge can still find in a storage without keys().
  const knownOwners = new Set<DraftOwner>();
  const knownKeys = new Set<string>();
  const scope = createDraftScope(options.scope ?? null, options);
  if (scope.user !== null) knownOwners.add(scope.user);

  /** Whose draft a form uses now (see `DraftScope.ownerFor`); none once destroyed. */
  const ownerFor = (anonymous: boolean) => (destroyed ? undefined : scope.ownerFor(anonymous));
  /** Whose draft `key` uses now; a key without a form is not anonymous. */
  const ownerOf = (key: string) => ownerFor(forms.get(key)?.anonymous ?? false);

  function schedule(key: string, json: string | undefined): void {
    const owner = ownerOf(key);
    if (owner !== undefined) pending.schedule(key, { owner, json });
  }

  /** Store one pending save; `false` keeps it (values included) for a later flush. */
  function write(key: string, save: PendingSave): boolean {
    if (scope.suspended) return false;
    const form = forms.get(key);
    const readsForm = save.json === undefined && form !== undefined;
    if (readsForm) save.json = JSON.stringify(form.read(save.owner));
    if (save.json === undefined) return true;
    if (!storage.write(save.owner, key, save.json, form?.ttlMs)) return false;
    if (readsForm) form.forgetEdits();
    emitter.emit('draft-saved', { key });
    return true;
  }

  function flush(): void {
    for (const key of [...pending.keys()]) pending.flush(key);
  }

  function load(key: string): DraftValues | null {
    const owner = ownerOf(key);
    if (owner === undefined) return null;
    knownKeys.add(key);
    const save = pending.get(key);
    if (save && save.owner === owner) {
      if (save.json !== undefined) return JSON.parse(save.json) as DraftValues;
      const form = forms.get(key);
      if (form) return form.read(owner);
    }
    return storage.read(owner, key);
  }

  /** Fill the form of `key` from its draft (`draft-restored` is emitted by the form). */
  function restoreForm(key: string, skipEdited: boolean): string[] {
    const form = forms.get(key);
    const owner = ownerOf(key);
    const values = load(key);
    if (!form || owner === undefined || !values) return [];
    return form.apply(values, skipEdited, owner);
  }

  const knownDrafts = () =>
    [...knownOwners].flatMap((owner) => [...knownKeys].map((key) => [owner, key] as const));

  /** Stop watching the form of `key`, first writing what the user typed in its last moments. */
  function detachForm(key: string): void {
    const form = forms.get(key);
    if (!form) return;
    pending.flush(key);
    form.detach();
    forms.delete(key);
    syncPageListeners();
  }

  function purge(userId?: DraftOwner): void {
    if (destroyed) return;
    const matches = (owner: DraftOwner) => userId === undefined || owner === userId;
    for (const [key, save] of pending) if (matches(save.owner)) pending.cancel(key);
    if (matches(scope.user)) for (const form of forms.values()) form.clearAwaiting();
    storage.removeUsers(matches, false, knownDrafts);
  }

  /** `userId`'s session was forced to end: write what is pending, then keep away from storage. */
  function suspend(userId: string): void {
    if (userId === scope.user && scope.suspended) return;
    flush();
    for (const form of forms.values()) form.clearAwaiting();
    scope.suspend(userId);
    knownOwners.add(userId);
  }

  function setScope(userId: string | null, { signedIn = true }: DraftScopeOptions = {}): void {
    if (destroyed) return;
    if (userId !== null && !signedIn) {
      suspend(userId);
      return;
    }
    const { changed, signingIn } = scope.enter(userId);
    if (changed) for (const form of forms.values()) form.clearAwaiting();
    if (changed || signingIn) {
      // What the previous scope typed is written first when its drafts are kept, else dropped.
      for (const [key, save] of [...pending]) {
        if (!scope.keeps(save.owner, userId)) pending.cancel(key);
        else if (save.owner !== userId) pending.flush(key);
      }
    }
    if (signingIn) {
      knownOwners.add(userId);
      storage.removeUsers((owner) => !scope.keeps(owner, userId), true, knownDrafts);
    }
    // Also for the same user signing in again (a forced re-login): forms attached meanwhile may
    // have been reset by the app; fill in what is stored, leaving the fields edited alone, then
    // save those edits (made while the draft was not in use) with the restored values.
    for (const [key, form] of [...forms]) {
      // What was typed while nobody was signed in is the user's now; in an anonymous form only
      // when anonymous drafts are not kept (else it stays the anonymous draft's).
      const claims = !form.anonymous || !scope.keeps(null, userId);
      if (signingIn && userId !== null && claims) form.claim(userId);
      const owner = ownerOf(key);
      if (owner === undefined) continue;
      if (autoRestore) restoreForm(key, true);
      if (form.hasUnsavedEdits(owner)) schedule(key, undefined);
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
    attach(form, { key, anonymous = false, exclude = options.exclude, ttlMs }) {
      if (destroyed) return () => {};
      detachForm(key);
      const attached = attachForm(form, { exclude, anonymous, ttlMs }, env, {
        user: () => scope.user,
        inUse: () => ownerFor(anonymous) !== undefined,
        onEdit: () => schedule(key, undefined),
        onRestore: (fields) => emitter.emit('draft-restored', { key, fields }),
      });
      forms.set(key, attached);
      knownKeys.add(key);
      if (anonymous) knownOwners.add(null);
      syncPageListeners();
      if (autoRestore) restoreForm(key, false);
      return () => {
        if (forms.get(key) === attached) detachForm(key);
      };
    },
    restore: (key) => restoreForm(key, false),
    save(key, values) {
      schedule(key, fieldsJson(values));
      knownKeys.add(key);
    },
    load,
    discard(key) {
      if (destroyed) return;
      const save = pending.cancel(key);
      forms.get(key)?.clearAwaiting();
      // The draft in use, the user's in scope (also while not signed in), the pending save's.
      for (const owner of new Set([ownerOf(key), scope.user ?? undefined, save?.owner])) {
        if (owner !== undefined) storage.remove(owner, key);
      }
    },
    flush,
    purge,
    setScope,
    getScope: () => scope.user,
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
