import type { Session } from 'sessionkeeper';
import { IDLE_PAUSE_EXPLAINED } from '../lib/idle-pause';
import { byTestId, inputById } from './dom';

/**
 * "Pause idle (e.g. a video call)" on the idle card: `session.idle.pause()` and `resume()`, this
 * tab only. Disabled while nobody is signed in, and when the page has no idle timeout.
 */
export function setupIdlePause(session: Session): void {
  byTestId('idle-pause-explained').textContent = IDLE_PAUSE_EXPLAINED;
  const toggle = inputById('idle-pause');
  const { idle } = session;
  if (!idle) return;
  toggle.addEventListener('change', () => (toggle.checked ? idle.pause() : idle.resume()));
  const render = () => {
    const state = idle.getState()?.state ?? null;
    toggle.checked = state === 'paused';
    toggle.disabled = state === null || state === 'idle';
  };
  idle.subscribe(render);
  render();
}
