import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type ProviderClass from 'oidc-provider';
import { muteProviderNotices } from '../../../playground/server/oidc-provider';

/** The public client of the test: no secret, PKCE, `client_id` in every token request. */
export const CLIENT_ID = 'sessionkeeper-spa';
export const REDIRECT_URI = 'http://127.0.0.1/callback';

/** What the provider reported, by its own events. */
export interface ProviderLog {
  /** Successful token-endpoint grants, by `grant_type`. */
  grants: string[];
  /** Token-endpoint errors (their detail), e.g. "refresh token already used" on reuse. */
  grantErrors: string[];
  /** Grants revoked (reuse of a rotated refresh token revokes the whole grant). */
  revokedGrants: number;
}

export interface RunningProvider {
  issuer: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  log: ProviderLog;
  /** The provider itself: its token stores (`AccessToken.find`, …) for a resource server. */
  provider: ProviderClass;
  /** With `dpop`: require a DPoP nonce at the token endpoint from now on, or no longer. */
  requireDpopNonce(required: boolean): void;
  close(): Promise<void>;
}

export interface ProviderOptions {
  /**
   * DPoP (RFC 9449): `features.dPoP` on (with a nonce secret, nonces off until
   * `requireDpopNonce(true)`) and the client registered with `dpop_bound_access_tokens`.
   * `'disabled'`: `features.dPoP` off (oidc-provider turns it on by default): proofs are
   * ignored and the tokens are `Bearer`.
   * @default false
   */
  dpop?: boolean | 'disabled';
}

/**
 * Start oidc-provider (a certified OpenID Provider) on 127.0.0.1 with a free port: the
 * authorization-code and refresh_token grants for one public client, refresh-token rotation
 * (its default for public clients), RFC 7009 revocation, and its development login/consent
 * pages. `clockTolerance` is 0 so that expiry is exact.
 */
export async function startProvider(
  accessTokenTtlSeconds: number,
  options: ProviderOptions = {},
): Promise<RunningProvider> {
  muteProviderNotices();
  // Imported here, after muting: it warns about the Node version as it loads.
  const { default: Provider }: { default: typeof ProviderClass } = await import('oidc-provider');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let nonceRequired = false;
  const dPoP = {
    enabled: true,
    nonceSecret: randomBytes(32),
    requireNonce: () => nonceRequired,
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        ...(options.dpop === true ? { dpop_bound_access_tokens: true } : {}),
      },
    ],
    clockTolerance: 0,
    cookies: { keys: ['integration-test-cookie-key'] },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      ...(options.dpop === true ? { dPoP } : {}),
      ...(options.dpop === 'disabled' ? { dPoP: { enabled: false } } : {}),
    },
    ttl: { AccessToken: accessTokenTtlSeconds, IdToken: 3600, RefreshToken: 3600, Grant: 3600 },
  });
  const log: ProviderLog = { grants: [], grantErrors: [], revokedGrants: 0 };
  provider.on('grant.success', (ctx) => {
    const grantType = (ctx as { oidc?: { params?: { grant_type?: unknown } } }).oidc?.params
      ?.grant_type;
    log.grants.push(String(grantType));
  });
  provider.on('grant.error', (_ctx, error) => {
    // `error_description` is generic ("grant request is invalid"); the detail says why.
    const { error_detail, error_description } = error as Record<string, unknown>;
    log.grantErrors.push(String(error_detail ?? error_description));
  });
  provider.on('grant.revoked', () => {
    log.revokedGrants++;
  });
  server.on('request', provider.callback());
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    revocationEndpoint: `${issuer}/token/revocation`,
    log,
    provider,
    requireDpopNonce(required) {
      nonceRequired = required;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
