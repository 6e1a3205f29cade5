import { useEffect, useState } from 'react';
import { isSessionError } from 'sessionkeeper';
import { useSession } from 'sessionkeeper/react';
import { oidc } from './setup';

/**
 * On the redirect URI: complete the sign-in once, then the page is back at the route the user
 * was on (`handleCallback` replaced the URL; a router app would `navigate(returnTo)`).
 * Returns the error code when it failed.
 */
export function useOidcCallback(onDone: () => void): string | null {
  const session = useSession((view) => view.session);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!oidc.isCallback()) return;
    oidc.handleCallback(session).then(onDone, (cause: unknown) => {
      setError(isSessionError(cause) ? `${cause.code}: ${cause.message}` : String(cause));
    });
  }, [session, onDone]);
  return error;
}
