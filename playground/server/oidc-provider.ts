import type { IncomingMessage, ServerResponse } from 'node:http';
import type ProviderClass from 'oidc-provider';

/** The playground's public client: no secret, PKCE, refresh-token rotation (oidc-provider's default). */
export const OIDC_CLIENT_ID = 'playground-spa';
/** Where oidc-provider is mounted on the dev server. */
export const OIDC_MOUNT = '/idp';

/** What the provider did, by its own events: for the page and the tests. */
export interface ProviderLog {
  /** Successful token-endpoint grants, by `grant_type`. */
  grants: string[];
  /** Token-endpoint errors: "refresh token already used" on a reuse. */
  grantErrors: string[];
  /** Grants revoked (a revocation, or a reuse of a rotated refresh token). */
  revokedGrants: number;
  /** Provider sessions ended (RP-initiated logout). */
  endedSessions: number;
}

/** The part of oidc-provider's API the playground uses beyond the test's declaration. */
interface ProviderInternals {
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
  AccessToken: {
    find(value: string): Promise<{ accountId: string; isExpired: boolean } | undefined>;
  };
}
interface KoaContext {
  type: string;
  body: unknown;
}

/**
 * Node's own `import()`: this file runs in Vite's config runner, whose `import()` is closed once
 * the config is loaded; the provider is loaded at the first request, long after.
 */
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

let muted = false;

/**
 * oidc-provider prints a notice for each development default it uses (signing keys, in-memory
 * adapter, login pages, Node version): right for an app, noise in the playground and in a test
 * run (the integration tests use this too). Only its own messages are dropped.
 */
export function muteProviderNotices(): void {
  if (muted) return;
  muted = true;
  for (const method of ['warn', 'info'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider ')) return;
      original(...args);
    };
  }
}

/** A provider for the origin `origin` (e.g. `http://127.0.0.1:5173`), mounted at {@link OIDC_MOUNT}. */
export async function createPlaygroundProvider(origin: string, accessTtl: () => number) {
  muteProviderNotices();
  const { default: Provider } = (await nativeImport('oidc-provider')) as {
    default: typeof ProviderClass;
  };
  const pages = [`${origin}/oidc.html`, `${origin}/oidc-popup.html`];
  const client = {
    client_id: OIDC_CLIENT_ID,
    token_endpoint_auth_method: 'none' as const,
    redirect_uris: pages,
    post_logout_redirect_uris: pages,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
  const provider = new Provider(`${origin}${OIDC_MOUNT}`, {
    clients: [client],
    // Exact expiry, as the page shows countdowns.
    clockTolerance: 0,
    cookies: { keys: ['sessionkeeper-playground-oidc'] },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    ttl: {
      // A function: read for each token (the test's declaration knows numbers only).
      AccessToken: (() => accessTtl()) as unknown as number,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Grant: 24 * 3600,
      Session: 24 * 3600,
      Interaction: 3600,
    },
  });
  const internals = provider as unknown as ProviderInternals;
  // Its development pages load a web font from Google: not from a machine with no network.
  internals.use(async (ctx, next) => {
    await next();
    if (typeof ctx.body === 'string' && ctx.type.includes('html')) {
      ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
    }
  });
  const log: ProviderLog = { grants: [], grantErrors: [], revokedGrants: 0, endedSessions: 0 };
  provider.on('grant.success', (ctx) => {
    const params = (ctx as { oidc?: { params?: { grant_type?: unknown } } }).oidc?.params;
    log.grants.push(String(params?.grant_type));
  });
  provider.on('grant.error', (_ctx, error) => {
    const { error_detail, error_description } = error as Record<string, unknown>;
    log.grantErrors.push(String(error_detail ?? error_description));
  });
  provider.on('grant.revoked', () => {
    log.revokedGrants++;
  });
  provider.on('end_session.success', () => {
    log.endedSessions++;
  });
  const handler = provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;
  return {
    handler,
    log,
    /** The user an access token was issued to, while it is valid. */
    async subjectOf(accessToken: string): Promise<string | null> {
      const token = await internals.AccessToken.find(accessToken);
      return token && !token.isExpired ? token.accountId : null;
    },
  };
}

export type PlaygroundProvider = Awaited<ReturnType<typeof createPlaygroundProvider>>;
