// @vitest-environment node
import { afterEach, expect, it } from 'vitest';

// What a module that reaches for the browser would touch. Node has none of them but
// BroadcastChannel; each becomes a getter that records the access.
const BROWSER_GLOBALS = [
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'BroadcastChannel',
  'MutationObserver',
  'HTMLElement',
  'addEventListener',
  'requestAnimationFrame',
] as const;

const touched: string[] = [];
const originals = new Map<string, PropertyDescriptor | undefined>();

function trapBrowserGlobals() {
  for (const name of BROWSER_GLOBALS) {
    originals.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
}

afterEach(() => {
  for (const [name, descriptor] of originals) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  originals.clear();
});

it('imports and renders on the server with the server snapshot, touching no browser global', async () => {
  trapBrowserGlobals();
  // Imported only now, so that module evaluation runs under the traps too.
  const { createElement: h } = await import('react');
  const { renderToString } = await import('react-dom/server');
  const { SessionProvider } = await import('sessionkeeper/react');
  const { ServerApp } = await import('./server-app');
  const { createIdleTimer } = await import('../../src/idle');
  const { createDraftStore } = await import('../../src/drafts');
  const { setupSession } = await import('../helpers/session');
  const { session, server } = setupSession({
    idle: createIdleTimer(),
    drafts: createDraftStore(),
  });
  // Signed in here, yet the server render must not depend on it: hydration starts from the
  // same 'initializing' snapshot the server rendered.
  await session.login(server.login('alice'));
  const html = renderToString(h(SessionProvider, { session }, h(ServerApp)));

  expect(html).toContain('<p id="status">initializing nobody</p>');
  expect(html).toContain('<p id="idle">null 0</p>');
  expect(html).toContain('<p id="drafts">false false</p>');
  expect(touched).toEqual([]);
  session.destroy();
});
