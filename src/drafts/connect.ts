import type { SessionPort } from '../core/modules';
import type { DraftStore } from './types';

/**
 * A session's drafts, scoped to the signed-in user: kept (flushed) when the session is forced
 * to end, then left alone (neither written, restored nor loaded) until that user signs in again;
 * purged on logout, purged of other users when someone else signs in. The anonymous drafts (of
 * forms attached with `anonymous: true`) are in use only while nobody is signed in: not during a
 * forced re-login, and purged at every sign-in unless the store has `keepAnonymous`.
 */
export function connectDrafts(store: DraftStore, port: SessionPort): void {
  for (const type of ['draft-saved', 'draft-restored', 'error'] as const) {
    store.on(type, (event) => port.emit(type, event));
  }
  // A token without a user id cannot prove the next login is the same person: no scope.
  port.on('signed-in', ({ user }) => store.setScope(user.id));
  // Also at start-up, when a page is reloaded while the session is expired.
  port.on('signed-out', ({ kind, user }) => {
    const userId = user?.id ?? null;
    if (kind === 'expired' && userId !== null) {
      store.setScope(userId, { signedIn: false });
      return;
    }
    if (kind === 'logout' && userId !== null) store.purge(userId);
    store.setScope(null);
  });
  port.onEvent('idle', () => store.flush());
  port.onEvent('session-ending', () => store.flush());
  // `pagehide` and a hidden page: the store flushes then itself, while any form is attached or
  // any save (also a programmatic `save()`) is pending.
  port.on('destroy', () => store.destroy());
}
