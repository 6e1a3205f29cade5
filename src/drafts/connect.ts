import { createDraftStore } from './draft-store';
import type { DraftStore } from './types';
import type { SessionContext } from '../core/context';

/**
 * The session's drafts, scoped to the signed-in user: kept (flushed) when the session is forced
 * to end, then left alone (neither written, restored nor loaded) until that user signs in again;
 * purged on logout, purged of other users when someone else signs in. With `drafts: false` the
 * store exists but has no scope, so it stores and restores nothing.
 */
export function createSessionDrafts(ctx: SessionContext): DraftStore {
  const { events, internal, options } = ctx;
  const store = createDraftStore({
    ...(options.drafts || {}),
    name: ctx.name,
    ...(options.env ? { env: options.env } : {}),
  });
  for (const type of ['draft-saved', 'draft-restored', 'error'] as const) {
    store.on(type, (event) => events.emit(type, event));
  }
  internal.on('destroy', () => store.destroy());
  if (options.drafts === false) return store;
  // A token without a user id cannot prove the next login is the same person: no scope.
  internal.on('signed-in', ({ user }) => store.setScope(user.id));
  // Also at start-up, when a page is reloaded while the session is expired.
  internal.on('signed-out', ({ kind, user }) => {
    const userId = user?.id ?? null;
    if (kind === 'expired' && userId !== null) {
      store.setScope(userId, { signedIn: false });
      return;
    }
    if (kind === 'logout' && userId !== null) store.purge(userId);
    store.setScope(null);
  });
  // (Listeners of session events need no removal: destroy() clears them all.)
  events.on('idle', () => store.flush());
  events.on('session-ending', () => store.flush());
  // `pagehide` and a hidden page: the store flushes then itself, while any form is attached or
  // any save (also a programmatic `save()`) is pending.
  return store;
}
