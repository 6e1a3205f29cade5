/** The idle card's pause switch, in words (both pages). */
export const IDLE_PAUSE_LABEL = 'Pause idle (e.g. a video call)';

/** What the pause does, as the idle card explains it. */
export const IDLE_PAUSE_EXPLAINED =
  'Pauses every tab of this session: no warning, no sign-out, and the countdown stops. The other tabs show paused too until this tab resumes or is closed (resume here, in the tab that paused). Resuming continues with the time that was left, or from your last activity if that leaves more (a click is activity).';
