export { SessionProvider, type SessionProviderProps } from './context';
export { type DraftState, useDraft } from './use-draft';
export { type FormDraft, type FormDraftOptions, useFormDraft } from './use-form-draft';
export { type IdleTimerView, useIdleTimer } from './use-idle-timer';
export { type SessionView, useSession } from './use-session';
export { type SessionEndingView, useSessionEnding } from './use-session-ending';
