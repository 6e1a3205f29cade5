import type { SessionOptions } from '../core/types';
import type { RuntimeEnv } from '../lib/env';

const SLASH = 47;

const originOf = (url: string | URL | undefined, base?: string): string | null => {
  if (url === undefined) return null;
  try {
    return new URL(String(url), base).origin;
  } catch {
    return null;
  }
};

/**
 * Which origins receive the access token: `authorizedOrigins` when given, else the page origin
 * and the origin of `http.prefix`/`http.baseUrl`. A token never goes anywhere else, so a request
 * to a third-party API or CDN through the same client cannot leak it. The returned check gives
 * the absolute URL of a request when it may carry the token, else `null`.
 */
export function createOriginCheck(
  options: Pick<SessionOptions, 'authorizedOrigins' | 'http'>,
  env: RuntimeEnv,
) {
  const page = () => env.window()?.location;
  const allowed = (href: string | undefined): Set<string> => {
    const base = originOf(options.http?.baseUrl, href);
    // Entries of authorizedOrigins must be absolute: 'api.example.com' is not resolved against
    // the page (it would name the page's own origin), it is ignored, like anything unparsable.
    const found = options.authorizedOrigins?.map((origin) => originOf(origin)) ?? [
      page()?.origin,
      base,
      originOf(options.http?.prefix, base ?? href),
    ];
    // Only http(s) origins: an opaque origin serialises as 'null'.
    return new Set(found.filter((o): o is string => !!o && /^https?:\/\/[^/]+$/.test(o)));
  };
  // Computed once per page address (it only changes on navigation or in tests).
  let cachedHref: string | undefined;
  let origins: Set<string> | null = null;

  return (input: RequestInfo | URL): string | null => {
    const href = page()?.href;
    if (!origins || cachedHref !== href) {
      cachedHref = href;
      origins = allowed(href);
    }
    if (input instanceof Request) {
      // A Request's URL is already absolute and normalised: compare its start, no parsing.
      const url = input.url;
      for (const origin of origins) {
        if (url.startsWith(origin) && url.charCodeAt(origin.length) === SLASH) return url;
      }
      return null;
    }
    try {
      const url = input instanceof URL ? input : new URL(input, href);
      return origins.has(url.origin) ? url.href : null;
    } catch {
      return null;
    }
  };
}
