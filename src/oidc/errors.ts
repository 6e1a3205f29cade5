import {
  AuthorizationResponseError,
  OperationProcessingError,
  ResponseBodyError,
} from 'oauth4webapi';
import { type OidcErrorCode, SessionError } from 'sessionkeeper';

/**
 * An error of the OpenID Connect flow, with a stable `code` (see `OidcErrorCode`) and what the
 * server said. Its `name` stays `SessionError`, so `isSessionError` knows it in any realm.
 * @example
 * if (isSessionError(error, 'OIDC_POPUP_BLOCKED')) await oidc.signIn(session);
 */
export class OidcError extends SessionError {
  declare readonly code: OidcErrorCode;
  /** The server's `error` code (`access_denied`, `invalid_grant`, …), when it sent one. */
  declare readonly error: string | undefined;
  /** The server's `error_description`, when it sent one. */
  declare readonly errorDescription: string | undefined;

  constructor(
    code: OidcErrorCode,
    message: string,
    options: { cause?: unknown; error?: string | undefined; description?: string | undefined } = {},
  ) {
    const said = options.description ? `: ${options.description}` : '';
    super(code, `${message}${said}`, { cause: options.cause });
    this.error = options.error;
    this.errorDescription = options.description;
  }
}

/** Authorization errors by what the app does next: the user said no, or must interact. */
const AUTHORIZATION_CODES: Record<string, OidcErrorCode> = {
  access_denied: 'OIDC_ACCESS_DENIED',
  login_required: 'OIDC_INTERACTION_REQUIRED',
  interaction_required: 'OIDC_INTERACTION_REQUIRED',
  consent_required: 'OIDC_INTERACTION_REQUIRED',
  account_selection_required: 'OIDC_INTERACTION_REQUIRED',
};

/** An error the authorization server sent back (`error`, `error_description`). */
export function serverError(error: string, description?: string, cause?: unknown): OidcError {
  const code = AUTHORIZATION_CODES[error] ?? 'OIDC_AUTHORIZATION_ERROR';
  return new OidcError(code, `The authorization server answered ${error}`, {
    cause,
    error,
    description,
  });
}

/**
 * What `validateAuthResponse` threw, as an {@link OidcError}: the server's error (with its
 * `error_description`), or a callback whose `iss` or `state` is wrong.
 */
export function authorizationError(
  thrown: unknown,
  params: URLSearchParams,
  expected: { state: string; issuer: string },
): OidcError {
  if (thrown instanceof AuthorizationResponseError) {
    return serverError(thrown.error, thrown.error_description, thrown);
  }
  const iss = params.get('iss');
  if (iss !== null && iss !== expected.issuer) {
    return new OidcError(
      'OIDC_ISSUER_MISMATCH',
      `The callback comes from another issuer (${iss})`,
      {
        cause: thrown,
      },
    );
  }
  if (params.get('state') !== expected.state) {
    return new OidcError('OIDC_STATE_MISMATCH', 'The callback state is not the one sent', {
      cause: thrown,
    });
  }
  return invalidResponse(thrown);
}

const invalidResponse = (thrown: unknown) =>
  new OidcError('OIDC_INVALID_RESPONSE', `Invalid answer: ${(thrown as Error)?.message}`, {
    cause: thrown,
  });

/** The ID token checks of oauth4webapi: a claim that differs (`nonce`, `aud`, `iss`) or a time. */
const ID_TOKEN_CHECKS = new Set([
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
]);

/** What the code exchange threw (the request or its processing), as an {@link OidcError}. */
export function exchangeError(thrown: unknown): SessionError {
  if (thrown instanceof SessionError) return thrown;
  if (thrown instanceof ResponseBodyError) {
    return new OidcError('OIDC_TOKEN_ERROR', `The token endpoint answered ${thrown.error}`, {
      cause: thrown,
      error: thrown.error,
      description: thrown.error_description,
    });
  }
  if (thrown instanceof OperationProcessingError) {
    if (ID_TOKEN_CHECKS.has(thrown.code ?? '')) {
      return new OidcError('OIDC_ID_TOKEN_INVALID', `ID token rejected: ${thrown.message}`, {
        cause: thrown,
      });
    }
    return invalidResponse(thrown);
  }
  if (thrown instanceof TypeError && !('code' in thrown)) {
    return new OidcError('OIDC_NETWORK', 'The token endpoint did not answer', { cause: thrown });
  }
  return invalidResponse(thrown);
}

/** The HTTP status behind an oauth4webapi error: its response, or the response it carries. */
export function statusOf(thrown: unknown): number | undefined {
  if (thrown instanceof ResponseBodyError) return thrown.status;
  const cause = (thrown as { cause?: unknown } | null)?.cause;
  return cause instanceof Response ? cause.status : undefined;
}
