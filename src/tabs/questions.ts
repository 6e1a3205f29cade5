import type { SessionStateStore } from '../core/state';
import type { RuntimeEnv } from '../lib/env';
import type { TokenSet } from '../tokens/token-set';
import type { TabMessage } from './messages';

/** How long a tab waits for the open tabs to answer whether someone is signed in. */
export const ASK_TIMEOUT_MS = 500;
/**
 * The leader answers a new tab at once; another signed-in tab answers only when no answer came
 * within this long (the leader is going away, or is busy), after a random part of it again, so
 * that one of them is first.
 */
export const ANSWER_FALLBACK_MS = 60;

/** What the questions between tabs work with. */
export interface QuestionsDeps {
  env: RuntimeEnv;
  state: SessionStateStore;
  /** This tab's id: the prefix of its questions. */
  tabId: string;
  /** Whether there is a channel to ask on at all. */
  canAsk: boolean;
  post(
    message: { type: 'ask'; id: string } | { type: 'answer'; id: string; tokens: TokenSet },
  ): void;
  isLeader(): boolean;
  /** An answer to one of this tab's questions that came after it stopped waiting. */
  onLateAnswer(tokens: TokenSet): void;
}

/**
 * Questions between tabs: "who is signed in?" from a new tab (and from a tab whose token was
 * rotated elsewhere), answered with the token set held. One answer per question, normally: the
 * leader's at once; another tab's only when none came. Waits for any token set (an answer, or a
 * broadcast the tab link took) are told of every message.
 */
export function createQuestions(deps: QuestionsDeps) {
  const { env, state, tabId } = deps;
  let asked = 0;
  /** Waits for tokens from other tabs, told of every message that arrives. */
  const watchers = new Set<(message?: TabMessage) => void>();
  /** Questions of other tabs this tab may still answer, if nobody does. */
  const unanswered = new Set<string>();

  const answer = (id: string) => {
    const { tokens } = state.get();
    if (state.signedIn() && tokens) deps.post({ type: 'answer', id, tokens });
  };

  /**
   * Wait up to `ms` for `find` to find a token set: now, and on every message; `null` after the
   * timeout, or as soon as `giveUp` resolves `true`.
   */
  const waitFor = (
    ms: number,
    find: (message?: TabMessage) => TokenSet | null | undefined,
    giveUp?: Promise<boolean>,
  ) =>
    new Promise<TokenSet | null>((resolve) => {
      const done = (tokens: TokenSet | null) => {
        env.clearTimeout(timer);
        watchers.delete(watch);
        resolve(tokens);
      };
      const watch = (message?: TabMessage) => {
        const tokens = find(message);
        if (tokens) done(tokens);
      };
      const timer = env.setTimeout(() => done(null), ms);
      watchers.add(watch);
      watch();
      giveUp?.then((stop) => stop && done(null));
    });

  return {
    waitFor,
    /**
     * Ask the open tabs for their session: the first answer that `wanted` accepts, or `null`
     * after the timeout, or as soon as `giveUp` says nobody could answer. The question is posted
     * first; `giveUp` is called when the current task is done: a new tab's first use of an API
     * (Web Locks, for the presence query) costs it ms of its start, which then overlap with the
     * answer's round trip instead of delaying the rest of the start.
     */
    ask(wanted: (tokens: TokenSet) => boolean, giveUp?: () => Promise<boolean>) {
      if (!deps.canAsk) return Promise.resolve(null);
      const id = `${tabId}:${asked++}`;
      deps.post({ type: 'ask', id });
      // Answers arrive as tasks: a wait set up right after the post sees every one.
      return waitFor(
        ASK_TIMEOUT_MS,
        (message) =>
          message?.type === 'answer' && message.id === id && wanted(message.tokens)
            ? message.tokens
            : null,
        giveUp && Promise.resolve().then(giveUp),
      );
    },
    /** Another tab asks. */
    onAsk(id: string) {
      if (!state.signedIn()) return;
      if (deps.isLeader()) {
        answer(id);
        return;
      }
      unanswered.add(id);
      env.setTimeout(
        () => {
          if (unanswered.delete(id)) answer(id);
        },
        ANSWER_FALLBACK_MS * (1 + env.random()),
      );
    },
    /** Every message: the waits look at it; an answer settles its question. */
    onMessage(message: TabMessage) {
      for (const watch of [...watchers]) watch(message);
      if (message.type !== 'answer') return;
      unanswered.delete(message.id);
      // Still signed out after this tab stopped waiting (a slow channel): the tab link decides.
      if (message.id.startsWith(`${tabId}:`) && !state.signedIn()) {
        deps.onLateAnswer(message.tokens);
      }
    },
    clear() {
      watchers.clear();
      unanswered.clear();
    },
  };
}
