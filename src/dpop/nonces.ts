/** The scheme's `use_dpop_nonce` error in a `WWW-Authenticate` header (RFC 9449 §9). */
const DPOP_NONCE_ERROR = /(^|[\s,])dpop\s[\s\S]*error\s*=\s*"?use_dpop_nonce/i;

/** Is this 400 the token endpoint's `use_dpop_nonce` (RFC 9449 §8)? Read from a copy. */
const isTokenNonceError = async (response: Response) =>
  (
    (await response
      .clone()
      .json()
      .catch(() => null)) as { error?: unknown } | null
  )?.error === 'use_dpop_nonce';

/**
 * The nonces servers gave, by origin (a server's nonce is for the requests to it): the latest
 * `DPoP-Nonce` answered by each, sent in every proof to it from then on.
 */
export function createNonces() {
  const byOrigin = new Map<string, string>();
  const originOf = (url: string) => new URL(url).origin;
  return {
    get: (url: string): string | undefined => byOrigin.get(originOf(url)),
    /**
     * Keep the answer's `DPoP-Nonce`. `true` when it asks for the request again with that
     * nonce: the token endpoint's 400 `use_dpop_nonce` (§8), a resource server's 401 with
     * `WWW-Authenticate: DPoP error="use_dpop_nonce"` (§9).
     */
    async observe(response: Response, url: string): Promise<boolean> {
      const nonce = response.headers.get('dpop-nonce');
      if (!nonce) return false;
      byOrigin.set(originOf(url), nonce);
      if (response.status === 401) {
        return DPOP_NONCE_ERROR.test(response.headers.get('www-authenticate') ?? '');
      }
      return response.status === 400 && isTokenNonceError(response);
    },
  };
}

export type Nonces = ReturnType<typeof createNonces>;

/**
 * Send a request with a proof (`proof()` makes the headers, anew for each send), and once more
 * when the answer asks for a nonce: then `nonceRefused` says whether the second answer asks
 * again. A request that can be sent once (`replayable: false`) is not sent again.
 */
export async function sendWithNonce(
  nonces: Nonces,
  url: string,
  proof: () => Promise<Record<string, string>>,
  send: (headers: Record<string, string>) => Promise<Response>,
  replayable = true,
): Promise<{ response: Response; nonceRefused: boolean }> {
  const first = await send(await proof());
  if (!(await nonces.observe(first, url))) return { response: first, nonceRefused: false };
  if (!replayable) return { response: first, nonceRefused: true };
  await first.body?.cancel().catch(() => {});
  const second = await send(await proof());
  return { response: second, nonceRefused: await nonces.observe(second, url) };
}
