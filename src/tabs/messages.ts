import { isExpireReason, isSessionUser } from '../core/expiry-record';
import type { ExpireReason, SessionUser } from '../core/types';
import {
  type Check,
  hasFields,
  isEpochMs,
  isObject,
  isString,
  oneOf,
  optional,
} from '../lib/guards';
import { isTokenSet, type TokenSet } from '../tokens/token-set';

/** Bumped when a message changes shape; tabs running another version ignore each other. */
export const PROTOCOL_VERSION = 3;

interface Base {
  v: typeof PROTOCOL_VERSION;
  /** The sending tab's id. */
  from: string;
}

/** A sign-in (`login`) or a refresh made by another tab. */
export interface TokensMessage extends Base {
  type: 'tokens';
  kind: 'login' | 'refresh';
  tokens: TokenSet;
}

/**
 * A logout or an expiry in another tab: the stamp it was made at and the stamp of the session it
 * ends (0: a logout in a tab that held no session); an expiry also names that session's user.
 */
export interface SignOutMessage extends Base {
  type: 'signout';
  kind: 'logout' | 'expired';
  reason?: ExpireReason | undefined;
  stamp: number;
  sessionStamp: number;
  user?: SessionUser | undefined;
}

/** A starting tab asks for the session; `id` names the question. */
export interface AskMessage extends Base {
  type: 'ask';
  id: string;
}

/** An open tab's answer to the question `id`: the token set it holds. */
export interface AnswerMessage extends Base {
  type: 'answer';
  id: string;
  tokens: TokenSet;
}

export type TabMessage = TokensMessage | SignOutMessage | AskMessage | AnswerMessage;

const base = { v: oneOf(PROTOCOL_VERSION), from: isString };

const checks: { [T in TabMessage['type']]: Check<Extract<TabMessage, { type: T }>> } = {
  tokens: hasFields<TokensMessage>({
    ...base,
    type: oneOf('tokens'),
    kind: oneOf('login', 'refresh'),
    tokens: isTokenSet,
  }),
  signout: hasFields<SignOutMessage>({
    ...base,
    type: oneOf('signout'),
    kind: oneOf('logout', 'expired'),
    reason: optional(isExpireReason),
    stamp: isEpochMs,
    sessionStamp: (value): value is number => value === 0 || isEpochMs(value),
    user: optional(isSessionUser),
  }),
  ask: hasFields<AskMessage>({ ...base, type: oneOf('ask'), id: isString }),
  answer: hasFields<AnswerMessage>({
    ...base,
    type: oneOf('answer'),
    id: isString,
    tokens: isTokenSet,
  }),
};

/** A message from another tab; `null` when it is malformed, of another version, or unknown. */
export function readMessage(data: unknown): TabMessage | null {
  if (!isObject(data) || !Object.hasOwn(checks, data.type as PropertyKey)) return null;
  const check: Check<TabMessage> = checks[data.type as TabMessage['type']];
  return check(data) ? data : null;
}
