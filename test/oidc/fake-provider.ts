import { vi } from 'vitest';
import { createSession, type Session } from '../../src/index';
import { createOidc, type OidcOptions, type PopupWindow } from '../../src/oidc/index';
import { ORIGIN } from '../helpers/session';
import { MemoryStorage } from '../helpers/storage';

export const ISSUER = 'https://id.test/realms/app';
export const CLIENT_ID = 'spa';
export const REDIRECT_URI = `${ORIGIN}/callback`;
export const POPUP_URI = `${ORIGIN}/popup.html`;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An ID token as the provider would sign it. oauth4webapi does not check the signature of an
 * ID token from the token endpoint (TLS vouches for it), so a fake one does.
 */
export function idToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const body = { iss: ISSUER, aud: CLIENT_ID, iat: now, exp: now + 600, ...claims };
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(body)}.c2lnbmF0dXJl`;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type Answer = (form: URLSearchParams) => Response;

/**
 * The provider: discovery, token and revocation endpoints. `nextToken` answers the next token
 * request (default: tokens for `sub` with the nonce of the last authorization URL).
 */
export function createFakeProvider(metadata: Record<string, unknown> = {}) {
  const requests: { url: string; form: URLSearchParams }[] = [];
  const answers: Answer[] = [];
  let discoveries = 0;
  let refreshes = 0;
  const provider = {
    requests,
    get discoveries() {
      return discoveries;
    },
    /** The nonce the tokens carry: the one of the last authorization URL. */
    nonce: '',
    sub: 'alice',
    nextToken(answer: Answer) {
      answers.push(answer);
    },
    tokenRequests: () => requests.filter((r) => r.url.endsWith('/token')),
    revocations: () => requests.filter((r) => r.url.endsWith('/revoke')),
    /** A token response: an opaque access token, a rotated refresh token, an ID token. */
    tokens(extra: Record<string, unknown> = {}) {
      refreshes++;
      return {
        access_token: `opaque-${refreshes}`,
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: `rt-${refreshes}`,
        id_token: idToken({ sub: provider.sub, nonce: provider.nonce }),
        ...extra,
      };
    },
    fetch: vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url === `${ISSUER}/.well-known/openid-configuration`) {
        discoveries++;
        return json({
          issuer: ISSUER,
          authorization_endpoint: `${ISSUER}/auth`,
          token_endpoint: `${ISSUER}/token`,
          revocation_endpoint: `${ISSUER}/revoke`,
          end_session_endpoint: `${ISSUER}/logout`,
          ...metadata,
        });
      }
      const form = new URLSearchParams(String(init.body ?? ''));
      requests.push({ url, form });
      if (url.endsWith('/revoke')) return new Response(null, { status: 200 });
      const answer = answers.shift();
      return answer ? answer(form) : json(provider.tokens());
    }) as unknown as typeof globalThis.fetch & ReturnType<typeof vi.fn>,
  };
  return provider;
}

export type FakeProvider = ReturnType<typeof createFakeProvider>;
export { json };

/** A popup the test drives: where it was sent, and where the provider sends it back. */
export class FakePopup implements PopupWindow {
  closed = false;
  readonly sentTo: string[] = [];
  private href = 'about:blank';
  /** On the provider's origin its location cannot be read. */
  private away = false;
  readonly location: PopupWindow['location'];
  constructor() {
    const self = this;
    this.location = {
      get href(): string {
        if (self.away) throw new DOMException('Blocked a frame', 'SecurityError');
        return self.href;
      },
      replace(url: string) {
        self.sentTo.push(url);
        self.href = url;
        self.away = !url.startsWith(ORIGIN);
      },
    };
  }
  /** The provider sends the popup back to a page of the app. */
  land(url: string) {
    this.href = url;
    this.away = false;
  }
  close() {
    this.closed = true;
  }
  focus() {}
}

/** A page: its URL, history, sessionStorage and window.open (a popup, or `null` when blocked). */
export function createPage(href = `${ORIGIN}/orders?tab=2`) {
  const page = {
    href,
    assigned: [] as string[],
    popups: [] as FakePopup[],
    blockPopups: false,
    sessionStorage: new MemoryStorage(),
    window: {
      location: {
        get href() {
          return page.href;
        },
        origin: ORIGIN,
        assign: (url: string) => page.assigned.push(url),
      },
      history: {
        replaceState: (_data: unknown, _unused: string, url?: string) => {
          if (url) page.href = new URL(url, page.href).href;
        },
      },
      opener: null as unknown,
      open: () => {
        if (page.blockPopups) return null;
        const opened = new FakePopup();
        page.popups.push(opened);
        return opened;
      },
    },
  };
  return page;
}

export type Page = ReturnType<typeof createPage>;

/** An oidc instance and a session on `page`, against `provider`. */
export function setupOidc(
  provider: FakeProvider,
  page: Page = createPage(),
  options: Partial<OidcOptions> = {},
): { oidc: ReturnType<typeof createOidc>; session: Session; page: Page } {
  const oidc = createOidc({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    popupRedirectUri: POPUP_URI,
    ...options,
    env: { fetch: provider.fetch, window: page.window, sessionStorage: page.sessionStorage },
  });
  const session = createSession({
    ...oidc.sessionOptions(),
    crossTab: false,
    env: { fetch: provider.fetch, window: null, BroadcastChannel: null, locks: null },
  });
  return { oidc, session, page };
}

/** The authorization URL the page was sent to, with its parameters. */
export function lastAuthorization(page: Page, provider: FakeProvider): URLSearchParams {
  const url = page.assigned.at(-1) ?? page.popups.at(-1)?.sentTo.at(-1);
  if (!url) throw new Error('No authorization request');
  const params = new URL(url).searchParams;
  provider.nonce = params.get('nonce') ?? '';
  return params;
}

/** The callback URL the provider sends back for the authorization `params`. */
export function callbackUrl(
  params: URLSearchParams,
  answer: Record<string, string> = { code: 'c0de' },
) {
  const url = new URL(params.get('redirect_uri') ?? REDIRECT_URI);
  for (const [name, value] of Object.entries({ state: params.get('state') ?? '', ...answer })) {
    url.searchParams.set(name, value);
  }
  return url.href;
}

/**
 * Wait until `condition` holds, letting real I/O settle (WebCrypto answers on another thread)
 * without moving the fake clock.
 */
export async function until(condition: () => boolean, what = 'the condition') {
  const end = performance.now() + 5_000;
  while (performance.now() < end) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
