import { listenWindow, type RuntimeEnv } from '../lib/env';

const PAGE_EVENTS = ['pagehide', 'visibilitychange'] as const;

/**
 * Flush when the page is hidden or closed (`pagehide`, a hidden `visibilitychange`: the last
 * moments a page can be sure to write). The listeners live only while `needed()` says there is
 * something to flush: call the returned `sync()` whenever that may have changed.
 */
export function createPageFlush(
  env: RuntimeEnv,
  flush: () => void,
  needed: () => boolean,
): () => void {
  let unlisten: (() => void) | undefined;

  function onPageEvent(event: Event): void {
    if (event.type !== 'visibilitychange' || !env.isVisible()) flush();
  }

  return function sync() {
    if (needed()) {
      unlisten ??= listenWindow(env, PAGE_EVENTS, onPageEvent);
    } else {
      unlisten?.();
      unlisten = undefined;
    }
  };
}
