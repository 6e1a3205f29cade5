import { graphql, sendUnauthenticated } from './graphql';
import { HttpError, readBody, readParams, sendJson } from './http';
import { contactSchema, slowSchema, validate } from './schemas';
import type { RouteContext } from './types';
import type { DemoUser } from './users';

const REALM = 'sessionkeeper-playground';
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

const DESCRIPTIONS: Record<string, string> = {
  malformed: 'The access token is malformed',
  signature: 'The access token signature is invalid',
  expired: 'The access token has expired',
  revoked: 'The access token was revoked',
  invalidated: 'The access token was invalidated',
};

interface Caller {
  sub: string;
  user: DemoUser;
}

/**
 * Authenticate `Authorization: Bearer <jwt>` (RFC 6750). A missing token is a 401 whose
 * `WWW-Authenticate` carries no error code (RFC 6750 §3.1); a bad one says `invalid_token`.
 */
function authenticate(ctx: RouteContext): Caller {
  const header = ctx.req.headers.authorization;
  if (header === undefined || header === '') {
    throw new HttpError(401, 'invalid_token', 'Authorization: Bearer <token> is required', {
      'WWW-Authenticate': `Bearer realm="${REALM}"`,
    });
  }
  const token = BEARER.exec(header)?.[1];
  const check = token === undefined ? null : ctx.state.checkAccessToken(token);
  if (check === null || !check.ok) {
    const description = DESCRIPTIONS[check?.reason ?? 'malformed']!;
    throw new HttpError(401, 'invalid_token', description, {
      'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
    });
  }
  return { sub: check.claims.sub, user: check.user };
}

/** `GET /api/me`: the signed-in user. */
async function me(ctx: RouteContext, caller: Caller): Promise<void> {
  sendJson(ctx.res, 200, caller.user);
}

/** `GET /api/slow?ms=…`: answers after `ms` milliseconds (at most 60 000). */
async function slow(ctx: RouteContext, caller: Caller): Promise<void> {
  const { ms } = validate(slowSchema, { ms: ctx.url.searchParams.get('ms') ?? '' });
  if (!(await ctx.delay(ms))) return;
  sendJson(ctx.res, 200, { sub: caller.sub, waitedMs: ms });
}

/**
 * `POST /api/echo`: the request body back — as text (`body`, UTF-8) and exactly (`base64`) —
 * with its `contentType` (null when absent), its `length` in bytes and the caller's `sub`.
 */
async function echo(ctx: RouteContext, caller: Caller): Promise<void> {
  const body = await readBody(ctx.req);
  sendJson(ctx.res, 200, {
    sub: caller.sub,
    contentType: ctx.req.headers['content-type'] ?? null,
    length: body.length,
    body: body.toString('utf8'),
    base64: body.toString('base64'),
  });
}

/** `GET /api/data`: a small JSON document. */
async function data(ctx: RouteContext, caller: Caller): Promise<void> {
  sendJson(ctx.res, 200, {
    sub: caller.sub,
    servedAt: ctx.state.now(),
    items: [
      { id: 1, title: 'Quarterly report', done: false },
      { id: 2, title: 'Team lunch', done: true },
      { id: 3, title: 'Renew certificates', done: false },
    ],
  });
}

/** `POST /api/contact` `{ email?, message }`: public, no token needed; says what it received. */
async function contact(ctx: RouteContext): Promise<void> {
  const { email, message } = validate(contactSchema, await readParams(ctx.req));
  sendJson(ctx.res, 200, { received: { email: email ?? null, length: message.length } });
}

/**
 * A route and who may call it: `token` (a refused token is a 401), `graphql` (a refused token is
 * a GraphQL `UNAUTHENTICATED` error in a 200), or `public` (no token needed).
 */
type ApiRoute =
  | {
      method: string;
      access: 'token' | 'graphql';
      run: (ctx: RouteContext, caller: Caller) => Promise<void>;
    }
  | { method: string; access: 'public'; run: (ctx: RouteContext) => Promise<void> };

const routes: Record<string, ApiRoute> = {
  me: { method: 'GET', access: 'token', run: me },
  slow: { method: 'GET', access: 'token', run: slow },
  echo: { method: 'POST', access: 'token', run: echo },
  data: { method: 'GET', access: 'token', run: data },
  graphql: { method: 'POST', access: 'graphql', run: (ctx, caller) => graphql(ctx, caller.user) },
  contact: { method: 'POST', access: 'public', run: contact },
};

/** Dispatch `/api/<name>`: count the request, authenticate (unless public), run the route. */
export async function handleApi(ctx: RouteContext, name: string): Promise<void> {
  const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
  if (route === undefined) throw new HttpError(404, 'not_found', `No route ${ctx.url.pathname}`);
  if (ctx.req.method !== route.method) {
    throw new HttpError(405, 'method_not_allowed', `Use ${route.method}`, { Allow: route.method });
  }
  ctx.state.counters.requests++;
  if (route.access === 'public') {
    await route.run(ctx);
    return;
  }
  let caller: Caller;
  try {
    caller = authenticate(ctx);
  } catch (err) {
    ctx.state.counters.unauthorized++;
    if (route.access === 'graphql' && err instanceof HttpError) {
      sendUnauthenticated(ctx, err.description);
      return;
    }
    throw err;
  }
  await route.run(ctx, caller);
}
