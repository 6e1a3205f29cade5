// The `sessionkeeper/drafts` entry: form drafts per user, standalone or given to a session
// (`createSession({ drafts: createDraftStore() })`).
export { createDraftStore } from './draft-store';
export type {
  DraftAttachOptions,
  DraftScopeOptions,
  DraftStore,
  DraftStoreEventMap,
  DraftStoreEventType,
  DraftStoreOptions,
  DraftValues,
} from './types';
