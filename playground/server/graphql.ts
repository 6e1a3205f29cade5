import { HttpError, readParams, sendJson } from './http';
import { graphqlSchema, validate } from './schemas';
import type { RouteContext } from './types';
import type { DemoUser } from './users';

/** The one query this endpoint knows, `{ me { … } }`, with an optional `query Name` head. */
const ME_QUERY = /^\s*(?:query\b\s*(?:[_A-Za-z]\w*)?\s*)?\{\s*me\s*\{([^{}]*)\}\s*\}\s*$/;
const USER_FIELDS: readonly string[] = ['id', 'name', 'email'] satisfies (keyof DemoUser)[];

/** Answer GraphQL errors (`{ errors: [{ message, extensions: { code } }] }`). */
function sendErrors(ctx: RouteContext, status: number, message: string, code: string): void {
  sendJson(ctx.res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * A refused token, as many GraphQL servers (Apollo among them) say it: `200`, with an error
 * whose `extensions.code` is `UNAUTHENTICATED`.
 */
export function sendUnauthenticated(ctx: RouteContext, message: string): void {
  sendJson(ctx.res, 200, {
    errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }],
    data: null,
  });
}

/**
 * `POST /api/graphql` `{ query }` for a caller whose token was accepted: answers
 * `{ data: { me: { … } } }` with the fields asked for among `id`, `name` and `email`. A body or a
 * query it cannot use is a `400` with a GraphQL error.
 */
export async function graphql(ctx: RouteContext, user: DemoUser): Promise<void> {
  let query: string;
  try {
    ({ query } = validate(graphqlSchema, await readParams(ctx.req)));
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 400) throw err;
    sendErrors(ctx, 400, err.description, 'BAD_REQUEST');
    return;
  }
  const selection = ME_QUERY.exec(query)?.[1];
  if (selection === undefined) {
    const known = `{ me { ${USER_FIELDS.join(' ')} } }`;
    sendErrors(ctx, 400, `This endpoint knows one query: ${known}`, 'GRAPHQL_PARSE_FAILED');
    return;
  }
  const fields = selection.split(/[\s,]+/).filter((field) => field !== '');
  const unknown = fields.find((field) => !USER_FIELDS.includes(field));
  if (fields.length === 0 || unknown !== undefined) {
    const message =
      unknown === undefined
        ? 'Select at least one field of "me".'
        : `Cannot query field "${unknown}" on type "User".`;
    sendErrors(ctx, 400, message, 'GRAPHQL_VALIDATION_FAILED');
    return;
  }
  const me = Object.fromEntries(fields.map((field) => [field, user[field as keyof DemoUser]]));
  sendJson(ctx.res, 200, { data: { me } });
}
