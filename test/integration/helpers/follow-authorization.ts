/**
 * The user at the provider, scripted: open the authorization URL a sign-in sent the page to,
 * log in as `username` and consent on oidc-provider's development pages (cookies kept between
 * the steps), and return the URL the provider sends the browser back to (the callback).
 */
export async function followAuthorization(
  authorizationUrl: string,
  redirectUri: string,
  username: string,
): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const split = pair.indexOf('=');
      const value = pair.slice(split + 1).trim();
      if (value === '') cookies.delete(pair.slice(0, split).trim());
      else cookies.set(pair.slice(0, split).trim(), value);
    }
  };
  let url = new URL(authorizationUrl);
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      ...(body ? { body } : {}),
    });
    keep(response);
    body = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      if (url.href.startsWith(redirectUri)) return url.href;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200 || !url.pathname.startsWith('/interaction/')) {
      throw new Error(`Unexpected ${response.status} at ${url.pathname}: ${html.slice(0, 300)}`);
    }
    const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
    if (prompt === 'login') body = new URLSearchParams({ prompt, login: username, password: 'x' });
    else if (prompt === 'consent') body = new URLSearchParams({ prompt });
    else throw new Error(`Unknown interaction page at ${url.pathname}`);
  }
  throw new Error('The authorization flow did not reach the redirect URI');
}
