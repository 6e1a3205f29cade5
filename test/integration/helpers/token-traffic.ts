/** One POST to the token endpoint, as the session sent it and as the provider answered. */
export interface TokenExchange {
  grantType: string | null;
  /** The refresh token sent (never logged: compared only). */
  sent: string | null;
  status: number;
  /** The refresh token answered, if any. */
  received: string | null;
  error: string | null;
}

/**
 * A `fetch` for the session's `env` that passes everything to the global `fetch` and records
 * each token-endpoint exchange, so the test can check rotation: every refresh token is sent
 * once, and it is the one the previous answer gave.
 */
export function recordTokenTraffic(tokenEndpoint: string) {
  const exchanges: TokenExchange[] = [];
  const fetchAndRecord: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (url === tokenEndpoint && init?.body instanceof URLSearchParams) {
      const json = (await response.clone().json()) as Record<string, unknown>;
      exchanges.push({
        grantType: init.body.get('grant_type'),
        sent: init.body.get('refresh_token'),
        status: response.status,
        received: typeof json.refresh_token === 'string' ? json.refresh_token : null,
        error: typeof json.error === 'string' ? json.error : null,
      });
    }
    return response;
  };
  return { exchanges, fetch: fetchAndRecord };
}
