import { isHTTPError } from 'ky';
import type { Session } from 'sessionkeeper';
import { describeError } from './action-log';

/**
 * The session's `isUnauthorized`, as in the README's GraphQL recipe: a 401, or a GraphQL answer
 * (a 200) with an `UNAUTHENTICATED` error, means the token was refused. It reads a copy of the
 * response, so the page still reads the original.
 */
export async function isUnauthorized(response: Response): Promise<boolean> {
  if (response.status === 401) return true;
  if (!response.headers.get('content-type')?.includes('json')) return false;
  const body = (await response.json()) as GraphqlBody;
  return body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED') ?? false;
}

interface GraphqlBody {
  data?: { me?: { name?: string } } | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
}

/** The query the page sends. */
export const ME_QUERY = '{ me { name } }';

/** How a request of this card ended, and how many refreshes (in any tab) happened meanwhile. */
export interface RequestOutcome {
  request: 'graphql' | 'whoami';
  ok: boolean;
  /** The HTTP status, when an answer came. */
  status: number | null;
  /** What the server said: the user's name, or why not. */
  text: string;
  refreshes: number;
}

/** Run `send`, counting the refreshes that happen until it settles. */
async function countingRefreshes(
  session: Session,
  request: RequestOutcome['request'],
  send: () => Promise<Omit<RequestOutcome, 'request' | 'refreshes'>>,
): Promise<RequestOutcome> {
  let refreshes = 0;
  const off = session.on('refresh', () => {
    refreshes++;
  });
  try {
    return { request, ...(await send()), refreshes };
  } catch (error) {
    return { request, ok: false, status: null, text: describeError(error), refreshes };
  } finally {
    off();
  }
}

/**
 * `POST /api/graphql` `{ me { name } }` through `session.http`. A refused token comes back as
 * `200` with `UNAUTHENTICATED`: `isUnauthorized` says so, and the session refreshes once and
 * replays the query. What the page gets is the replay's answer.
 */
export function queryMe(session: Session): Promise<RequestOutcome> {
  return countingRefreshes(session, 'graphql', async () => {
    const response = await session.http.post('graphql', { json: { query: ME_QUERY } });
    const body = (await response.json()) as GraphqlBody;
    const name = body.data?.me?.name;
    if (name !== undefined) return { ok: true, status: response.status, text: name };
    const error = body.errors?.[0];
    const text = `${error?.extensions?.code ?? 'no data'}: ${error?.message ?? ''}`;
    return { ok: false, status: response.status, text };
  });
}

/**
 * `GET /api/me` with `skipRefresh`: the token is sent, and a 401 is handed back as it is — no
 * refresh, no replay, no expiry.
 */
export function whoAmI(session: Session): Promise<RequestOutcome> {
  return countingRefreshes(session, 'whoami', async () => {
    try {
      const me = await session.http
        .get('me', { context: { skipRefresh: true } })
        .json<{ name: string }>();
      return { ok: true, status: 200, text: me.name };
    } catch (error) {
      if (!isHTTPError(error)) throw error;
      const data = error.data as { error_description?: string } | undefined;
      const text = data?.error_description ?? error.message;
      return { ok: false, status: error.response.status, text };
    }
  });
}

/** What "Invalidate the access token" did. */
export function describeInvalidated(name: string, count: number): string {
  return count === 0
    ? `${name} holds no access token the server still accepts.`
    : `The server now refuses ${name}'s access token; the refresh token still works.`;
}

const refreshesText = (n: number) => (n === 1 ? '1 refresh' : `${n} refreshes`);

/** The outcome in one line, e.g. "GraphQL { me }: Alice Example, after 1 refresh and a replay". */
export function describeOutcome(outcome: RequestOutcome): string {
  const { request, ok, status, text, refreshes } = outcome;
  if (request === 'graphql') {
    const head = `GraphQL ${ME_QUERY}: ${text}`;
    if (!ok) return `${head} (${refreshesText(refreshes)} meanwhile)`;
    return refreshes === 0
      ? `${head}, at the first try`
      : `${head}, after ${refreshesText(refreshes)} and a replay`;
  }
  if (ok) return `Who am I (no refresh): ${text}, at the first try`;
  const answer = status === null ? text : `${status} straight back (${text})`;
  return `Who am I (no refresh): ${answer}; ${refreshesText(refreshes)} meanwhile`;
}

/** The line while a request of the card is on its way. */
export const SENDING = 'Sending… (held while the session is expired)';

/** What the card explains under its buttons. */
export const REFUSED_EXPLAINED =
  "The GraphQL endpoint answers a refused token like many GraphQL servers: 200, with errors[].extensions.code UNAUTHENTICATED. The session's isUnauthorized reads that as a 401: one refresh, one replay. Who am I sends skipRefresh: a 401 comes straight back.";

/** What "Invalidate the access token" does. */
export const INVALIDATE_EXPLAINED =
  'The server then refuses the access tokens it gave so far; the refresh token stays valid.';
