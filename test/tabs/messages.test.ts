import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, readMessage } from '../../src/tabs/messages';

const now = 1_767_225_600_000;
const tokens = {
  accessToken: 'a.b.c',
  refreshToken: 'r',
  obtainedAt: now,
  expiresAt: now + 60_000,
  stamp: now + 0.5,
  sessionStamp: now,
  userId: 'alice',
  claims: { sub: 'alice' },
};
const base = { v: PROTOCOL_VERSION, from: 'tab-1' };

describe('readMessage (what another tab sends)', () => {
  it.each([
    ['tokens', { ...base, type: 'tokens', kind: 'refresh', tokens }],
    ['answer', { ...base, type: 'answer', id: 'q1', tokens }],
    ['ask', { ...base, type: 'ask', id: 'q1' }],
    ['logout', { ...base, type: 'signout', kind: 'logout', stamp: now, sessionStamp: 0 }],
    [
      'expiry',
      {
        ...base,
        type: 'signout',
        kind: 'expired',
        reason: 'idle',
        stamp: now + 1,
        sessionStamp: now,
        user: { id: null, claims: {} },
      },
    ],
  ])('takes a well-formed %s message as it is', (_, message) => {
    expect(readMessage(message)).toBe(message);
  });

  const broken: [string, unknown][] = [
    ['no object', 'tokens'],
    ['an array', [base]],
    ['another version', { ...base, v: PROTOCOL_VERSION - 1, type: 'ask', id: 'q' }],
    ['no sender', { v: PROTOCOL_VERSION, type: 'ask', id: 'q' }],
    ['an unknown type', { ...base, type: 'nuke' }],
    ['an inherited type name', { ...base, type: 'constructor' }],
    ['__proto__ as type', { ...base, type: '__proto__' }],
    ['an unknown kind', { ...base, type: 'tokens', kind: 'steal', tokens }],
    [
      'an empty access token',
      { ...base, type: 'tokens', kind: 'login', tokens: { ...tokens, accessToken: '' } },
    ],
    [
      'a NaN expiry',
      { ...base, type: 'answer', id: 'q', tokens: { ...tokens, expiresAt: Number.NaN } },
    ],
    [
      'an infinite stamp',
      { ...base, type: 'answer', id: 'q', tokens: { ...tokens, stamp: Infinity } },
    ],
    ['a stamp of 0', { ...base, type: 'answer', id: 'q', tokens: { ...tokens, stamp: 0 } }],
    ['claims as an array', { ...base, type: 'answer', id: 'q', tokens: { ...tokens, claims: [] } }],
    ['a numeric user id', { ...base, type: 'answer', id: 'q', tokens: { ...tokens, userId: 7 } }],
    [
      'a missing session stamp',
      { ...base, type: 'answer', id: 'q', tokens: { ...tokens, sessionStamp: undefined } },
    ],
    [
      'an unknown reason',
      { ...base, type: 'signout', kind: 'expired', reason: 'bored', stamp: now, sessionStamp: now },
    ],
    [
      'a negative session stamp',
      { ...base, type: 'signout', kind: 'logout', stamp: now, sessionStamp: -1 },
    ],
    [
      'a user without claims',
      {
        ...base,
        type: 'signout',
        kind: 'expired',
        stamp: now,
        sessionStamp: now,
        user: { id: 'a' },
      },
    ],
  ];
  it.each(broken)('refuses a message with %s', (_, message) => {
    expect(readMessage(message)).toBeNull();
  });
});
