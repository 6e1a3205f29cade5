/**
 * The part of oidc-provider (which ships no types) that the integration test uses.
 * https://github.com/panva/node-oidc-provider/blob/main/docs/README.md
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ClientMetadata {
    client_id: string;
    token_endpoint_auth_method?: 'none' | 'client_secret_basic' | 'client_secret_post';
    redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    clockTolerance?: number;
    cookies?: { keys?: string[] };
    features?: Record<string, { enabled: boolean; [option: string]: unknown }>;
    ttl?: Record<string, number>;
    [option: string]: unknown;
  }

  export interface KoaContextWithOIDC {
    oidc?: { params?: Record<string, unknown> };
  }

  /** A stored token (opaque to the client): `jkt` is the thumbprint of a DPoP-bound one's key. */
  export interface StoredToken {
    readonly accountId: string;
    readonly jkt?: string;
    readonly isExpired: boolean;
  }

  export interface TokenModel {
    find(value: string): Promise<StoredToken | undefined>;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly AccessToken: TokenModel;
    readonly RefreshToken: TokenModel;
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
