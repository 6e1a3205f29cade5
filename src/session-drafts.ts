import { createDraftStore } from './drafts/draft-store';
import type { DraftStore } from './drafts/types';
import { listenWindow } from './env';
import type { SessionContext } from './session-context';

/**
 * The session's drafts, scoped to the signed-in user: kept (flushed) when the session is forced
 * to end, purged on logout, purged of other users when someone else signs in. With
 * `drafts: false` the store exists but has no scope, so it stores and restores nothing.
 */
export function createSessionDrafts(ctx: SessionContext): DraftStore {
  const option = ctx.options.drafts;
  const store = createDraftStore({
    ...(option || {}),
    name: ctx.name,
    ...(ctx.options.env ? { env: ctx.options.env } : {}),
  });
  const { events, internal } = ctx;
  store.on('draft-saved', (event) => events.emit('draft-saved', event));
  store.on('draft-restored', (event) => events.emit('draft-restored', event));
  store.on('error', (event) => events.emit('error', event));
  if (option === false) {
    internal.on('destroy', () => store.destroy());
    return store;
  }
  // A token without a user id cannot prove the next login is the same person: no scope.
  internal.on('signed-in', ({ user }) => store.setScope(user.id));
  internal.on('signed-out', ({ kind, user }) => {
    if (kind === 'expired') return store.flush();
    if (user?.id) store.purge(user.id);
    store.setScope(null);
  });
  const offIdle = events.on('idle', () => store.flush());
  const offEnding = events.on('session-ending', () => store.flush());
  // The store flushes on pagehide/visibilitychange itself while forms are attached; a pagehide
  // while signed in also covers drafts saved programmatically with `save()`.
  const offPage = listenWindow(ctx.env, ['pagehide'], () => store.flush());
  internal.on('destroy', () => {
    offIdle();
    offEnding();
    offPage();
    store.destroy();
  });
  return store;
}
