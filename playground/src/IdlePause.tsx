import { useIdleTimer, useSession } from 'sessionkeeper/react';
import { IDLE_PAUSE_EXPLAINED, IDLE_PAUSE_LABEL } from './lib/idle-pause';

/** The switch itself; `checked` and `disabled` say what the timer allows. */
function PauseSwitch(props: { checked: boolean; disabled: boolean; onChange?(on: boolean): void }) {
  return (
    <div className="row">
      <label>
        <input
          type="checkbox"
          data-testid="idle-pause"
          checked={props.checked}
          disabled={props.disabled}
          onChange={(event) => props.onChange?.(event.target.checked)}
        />{' '}
        {IDLE_PAUSE_LABEL}
      </label>
    </div>
  );
}

/** While the idle timer runs: pause and resume it (for every tab; resumed in the tab that paused). */
function RunningPause() {
  const { state, pause, resume } = useIdleTimer();
  return (
    <PauseSwitch
      checked={state === 'paused'}
      disabled={state === null || state === 'idle'}
      onChange={(on) => (on ? pause() : resume())}
    />
  );
}

/**
 * "Pause idle (e.g. a video call)": the countdown stops in every tab; resuming continues with the
 * time that was left. Disabled while nobody is signed in, and when the page has no idle timeout.
 */
export function IdlePause() {
  // useIdleTimer() needs the idle module: none when the idle timeout is off.
  const hasTimer = useSession((s) => s.session.idle !== null);
  return (
    <>
      {hasTimer ? <RunningPause /> : <PauseSwitch checked={false} disabled />}
      <p className="muted">{IDLE_PAUSE_EXPLAINED}</p>
    </>
  );
}
