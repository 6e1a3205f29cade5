/** The idle card's pause switch, in words (both pages). */
export const IDLE_PAUSE_LABEL = 'Pause idle (e.g. a video call)';

/** What the pause does, as the idle card explains it. */
export const IDLE_PAUSE_EXPLAINED =
  'Only this tab pauses: no warning, no sign-out, and the countdown stops. The other tabs keep counting. Resuming continues with the time that was left, or from your last activity if that leaves more (a click is activity).';
