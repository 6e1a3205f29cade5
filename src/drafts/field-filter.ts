/** What `exclude` may be: a CSS selector, or a predicate that returns `true` for excluded fields. */
export type ExcludeOption = string | ((field: Element) => boolean);

/** A form control whose value can be part of a draft. */
export type DraftField = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** How a field's value is read and written. */
export type FieldKind = 'text' | 'checkbox' | 'radio' | 'select' | 'select-multiple';

/**
 * Input types whose `value` is kept. An allowlist: password, file, hidden, submit, button, reset,
 * image and any type added to HTML later are never stored.
 */
const TEXT_TYPES = new Set(
  'text email search url tel number date time datetime-local month week color range'.split(' '),
);

/**
 * `autocomplete` tokens of secrets (matched in the lower-cased attribute): payment cards
 * (`cc-*`), one-time codes, and passwords (a "show password" toggle turns a password field into
 * `type="text"` for a moment).
 */
const SECRET_AUTOCOMPLETE = /(^|\s)(cc-|(one-time-code|current-password|new-password)(\s|$))/;

/** The kind of a form control, or `null` when its value is never part of a draft. */
export function fieldKind(element: Element): FieldKind | null {
  const { localName } = element;
  if (localName === 'textarea') return 'text';
  if (localName === 'select') {
    return (element as HTMLSelectElement).multiple ? 'select-multiple' : 'select';
  }
  const type = localName === 'input' && (element as HTMLInputElement).type.toLowerCase();
  if (type === 'checkbox' || type === 'radio') return type;
  return type && TEXT_TYPES.has(type) ? 'text' : null;
}

/**
 * May this element's value be stored? Not when it is not a kept control, has no name, holds a
 * secret (see above), is marked `data-draft="off"` (itself or an ancestor up to `root`), or is
 * named by `exclude` (the selector may also match an ancestor inside `root`).
 */
export function isDraftable(
  element: Element,
  root: Element,
  exclude: ExcludeOption | undefined,
): element is DraftField {
  if (
    !fieldKind(element) ||
    !(element as DraftField).name ||
    SECRET_AUTOCOMPLETE.test(element.getAttribute('autocomplete')?.toLowerCase() ?? '') ||
    (typeof exclude === 'function' && exclude(element))
  ) {
    return false;
  }
  // The nearest marked or excluded ancestor-or-self; one outside `root` does not count.
  const closed = element.closest(
    typeof exclude === 'string' ? `[data-draft="off"],${exclude}` : '[data-draft="off"]',
  );
  return !closed || !root.contains(closed);
}
