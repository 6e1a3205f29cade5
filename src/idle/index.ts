// The `sessionkeeper/idle` entry: an idle timer shared by the tabs, standalone or given to a
// session (`createSession({ idle: createIdleTimer() })`).
export { createIdleTimer } from './idle-timer';
export {
  DEFAULT_IDLE_EVENTS,
  type IdleState,
  type IdleTimer,
  type IdleTimerEventMap,
  type IdleTimerEventType,
  type IdleTimerOptions,
  type IdleTimerState,
} from './types';
