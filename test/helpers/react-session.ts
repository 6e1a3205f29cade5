import { cleanup } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { SessionProvider } from 'sessionkeeper/react';
import { vi } from 'vitest';
import { createDraftStore } from '../../src/drafts';
import type { DraftStore, Session, SessionOptions } from '../../src/index';
import type { FakeServerOptions } from './server';
import { type SessionWith, setupSession } from './session';

type Unsubscribe = () => void;

/**
 * Count what the React binding holds on a session: live listeners (`subscribe`, `on`, the idle
 * timer's `subscribe`, the drafts' `on`), how often it subscribed, and live form attachments.
 * Wraps the session's own functions, so it must run before the first render.
 */
export function trackSession(session: Session) {
  const counts = { live: 0, subscribeCalls: 0, attachCalls: 0, attached: 0 };
  const counted =
    <A extends unknown[]>(add: (...args: A) => Unsubscribe, onCall?: () => void) =>
    (...args: A): Unsubscribe => {
      onCall?.();
      counts.live++;
      const remove = add(...args);
      let removed = false;
      return () => {
        if (!removed) counts.live--;
        removed = true;
        remove();
      };
    };
  session.subscribe = counted(session.subscribe, () => counts.subscribeCalls++);
  session.on = counted(session.on as (...args: unknown[]) => Unsubscribe) as Session['on'];
  const { idle, drafts } = session;
  if (idle) idle.subscribe = counted(idle.subscribe, () => counts.subscribeCalls++);
  if (!drafts) return counts;
  drafts.on = counted(drafts.on as (...args: unknown[]) => Unsubscribe) as typeof drafts.on;
  const attach = drafts.attach;
  drafts.attach = (form, options) => {
    counts.attachCalls++;
    counts.attached++;
    const detach = attach(form, options);
    let detached = false;
    return () => {
      if (!detached) counts.attached--;
      detached = true;
      detach();
    };
  };
  return counts;
}

const sessions: Session[] = [];

/**
 * `setupSession()` (fake server, injected env) plus the counters of {@link trackSession}. The
 * session has a draft store unless the options give one, or `withDrafts` is `false`.
 */
export function setupReactSession<O extends Partial<SessionOptions>>(
  options: O = {} as O,
  serverOptions: FakeServerOptions = {},
  withDrafts = true,
) {
  const drafts = withDrafts ? { drafts: createDraftStore() } : {};
  const setup = setupSession({ ...drafts, ...options }, serverOptions);
  // Typed for the usual case, with a draft store.
  const session = setup.session as SessionWith<O> & { readonly drafts: DraftStore };
  sessions.push(session);
  const counts = trackSession(setup.session);
  const wrapper = ({ children }: { children?: ReactNode }) =>
    createElement(SessionProvider, { session: setup.session }, children);
  return { ...setup, session, counts, wrapper };
}

/** For `beforeEach`: React's act environment on. */
export function enableAct() {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
}

/** For `afterEach`: unmount what was rendered, destroy the sessions, real timers again. */
export function cleanupReact() {
  cleanup();
  for (const session of sessions.splice(0)) session.destroy();
  vi.useRealTimers();
}

/** Wait for the microtask in which an unmounted form is detached. */
export const afterMicrotasks = () => Promise.resolve().then(() => Promise.resolve());
