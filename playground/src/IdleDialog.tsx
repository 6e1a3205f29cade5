import { useIdleTimer, useSession } from 'sessionkeeper/react';
import { useNow } from './hooks';
import { secondsLeft } from './lib/times';
import { Modal } from './Modal';

/** "You will be signed out in 27 s" with "Stay signed in" (in every tab at once). */
export function IdleDialog() {
  const { state, stayActive } = useIdleTimer();
  const { session, logout } = useSession();
  const now = useNow();
  // The same deadline and clock as the session card, so both show the same second.
  const deadline = session.idle?.getState()?.deadline ?? now;
  const seconds = secondsLeft(deadline, now);
  return (
    <Modal open={state === 'prompted'} testId="idle-dialog" labelId="idle-title">
      <h2 id="idle-title">Are you still there?</h2>
      <p>Nothing happened in any tab for a while. For your safety you will be signed out in</p>
      <p className="countdown" data-testid="idle-countdown" data-seconds={seconds}>
        {seconds} s
      </p>
      <p className="muted">
        Moving the mouse or pressing a key keeps you signed in too. What you typed in forms is kept
        for when you sign in again.
      </p>
      <div className="row">
        <button type="button" className="primary" data-testid="stay-signed-in" onClick={stayActive}>
          Stay signed in
        </button>
        <button type="button" data-testid="idle-signout" onClick={() => void logout()}>
          Sign out now
        </button>
      </div>
    </Modal>
  );
}
