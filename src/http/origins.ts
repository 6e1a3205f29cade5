import type { RuntimeEnv } from '../env';
import type { SessionOptions } from '../types';

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
    if (options.authorizedOrigins) {
      return new Set(options.authorizedOrigins.map((o) => originOf(o, pageHref()) ?? o));
    }
    const found = [
      env.window()?.location?.origin,
      originOf(options.http?.baseUrl, pageHref()),
      originOf(options.http?.prefix, originOf(options.http?.baseUrl, pageHref()) ?? pageHref()),
    ];
    return new Set(found.filter((o): o is string => !!o && o !== 'null'));
  };
  return {
    /** The absolute URL of a request, resolved against the page; `null` when it cannot be. */
    resolve(input: string | URL): URL | null {
      try {
        return new URL(String(input), pageHref());
      } catch {
        return null;
      }
    },
    isAuthorized(url: URL | null): boolean {
      return url !== null && allowed().has(url.origin);
    },
  };
}
