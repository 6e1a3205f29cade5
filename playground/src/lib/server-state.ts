import { readServerState, type ServerState } from './mock-api';

/** A running watch of the mock server's state. */
export interface ServerWatch {
  /** Read the state now (after a change the page made). */
  reload(): void;
  stop(): void;
}

/**
 * Poll `GET /mock/state` every `intervalMs` while the page is visible, and at once on `reload()`.
 * `onChange` gets every answer.
 */
export function watchServerState(
  onChange: (state: ServerState) => void,
  intervalMs = 1000,
): ServerWatch {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    clearTimeout(timer);
    if (document.visibilityState === 'visible') {
      const next = await readServerState().catch(() => null);
      if (stopped) return;
      if (next) onChange(next);
    }
    timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return {
    reload: () => void tick(),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
