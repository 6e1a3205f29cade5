/**
 * Checks for data sessionkeeper wrote itself and reads back: its web storage entries and the
 * messages of its other tabs. They are plain predicates, not schemas: nothing is built when a
 * module loads, and a check is a few comparisons. A new tab checks the token set an open tab
 * hands it while it starts, so this is on the path of its first request.
 * What servers send (token responses) is validated with zod/mini instead, for its detailed issues.
 */

/** A type guard: `true` when `value` is a `T`. */
export type Check<T> = (value: unknown) => value is T;

/** A plain object (not `null`, not an array). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isString = (value: unknown): value is string => typeof value === 'string';

/** A finite number (`NaN` and the infinities are refused, as JSON cannot carry them). */
export const isNumber = (value: unknown): value is number => Number.isFinite(value);

/** An epoch-ms instant: positive and before the year 33658. */
export const isEpochMs = (value: unknown): value is number =>
  typeof value === 'number' && value > 0 && value < 1e15;

/** `undefined`, or what `check` accepts. */
export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value): value is T | undefined =>
    value === undefined || check(value);

/** `null`, or what `check` accepts. */
export const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (value): value is T | null =>
    value === null || check(value);

/** One of `values` (compared with `===`). */
export const oneOf =
  <const T extends readonly unknown[]>(...values: T): Check<T[number]> =>
  (value): value is T[number] =>
    values.includes(value);

/**
 * An object with (at least) these fields, each accepted by its check; a field the check allows
 * to be `undefined` may be missing. Other fields are not looked at.
 * @example
 * const isEntry = hasFields<{ v: 1; at: number }>({ v: oneOf(1), at: isEpochMs });
 */
export function hasFields<T>(fields: { [K in keyof T]-?: Check<T[K]> }): Check<T> {
  const entries = Object.entries(fields) as [string, Check<unknown>][];
  return (value): value is T =>
    isObject(value) && entries.every(([name, check]) => check(value[name]));
}

/** JSON text parsed; `undefined` for no text or text that is not JSON (a corrupt entry). */
export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
