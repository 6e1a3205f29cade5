import type { RuntimeEnv } from '../env';
import type { SessionOptions } from '../types';

const SLASH = 47;

function originOf(url: string | URL | undefined, base: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    return new URL(String(url), base).origin;
  } catch {
    return null;
  }
}

/**
 * Which origins receive the access token: `authorizedOrigins` when given, else the page origin
 * and the origin of `http.prefix`/`http.baseUrl`. A token never goes anywhere else, so a request
 * to a third-party API or CDN through the same client cannot leak it.
 */
export function createOriginCheck(options: SessionOptions, env: RuntimeEnv) {
  const pageHref = () => env.window()?.location?.href;
  const allowed = (): Set<string> => {
    // Entries of authorizedOrigins must be absolute: 'api.example.com' is not resolved against
    // the page (it would name the page's own origin), it is ignored, like anything unparsable.
    const found = options.authorizedOrigins
      ? options.authorizedOrigins.map((o) => originOf(o, undefined))
      : [
          env.window()?.location?.origin,
          originOf(options.http?.baseUrl, pageHref()),
          originOf(options.http?.prefix, originOf(options.http?.baseUrl, pageHref()) ?? pageHref()),
        ];
    // Only http(s) origins: an opaque origin serialises as 'null'.
    return new Set(found.filter((o): o is string => !!o && /^https?:\/\/[^/]+$/.test(o)));
  };
  // Computed once per page address (it only changes on navigation or in tests).
  let cached: { href: string | undefined; origins: Set<string> } | null = null;
  const current = (): Set<string> => {
    const href = pageHref();
    if (!cached || cached.href !== href) cached = { href, origins: allowed() };
    return cached.origins;
  };
  return {
    /** The absolute URL of a request when it may carry the token, else `null`. */
    authorizedUrl(input: RequestInfo | URL): string | null {
      if (input instanceof Request) {
        // A Request's URL is already absolute and normalised: compare its start, no parsing.
        const href = input.url;
        for (const origin of current()) {
          if (href.startsWith(origin) && href.charCodeAt(origin.length) === SLASH) return href;
        }
        return null;
      }
      try {
        const url = input instanceof URL ? input : new URL(input, pageHref());
        return current().has(url.origin) ? url.href : null;
      } catch {
        return null;
      }
    },
  };
}
