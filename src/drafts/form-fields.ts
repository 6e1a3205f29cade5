import {
  type DraftField,
  type ExcludeOption,
  type FieldKind,
  fieldKind,
  isDraftable,
} from './field-filter';
import { setFieldChecked, setFieldValue, setSelectedValues } from './native-input';
import type { DraftValues } from './types';

/** The draftable fields of `root`, grouped by name, each group in document order. */
export function collectFields(
  root: Element,
  exclude: ExcludeOption | undefined,
): Map<string, DraftField[]> {
  const groups = new Map<string, DraftField[]>();
  for (const element of root.querySelectorAll('input,textarea,select')) {
    if (!isDraftable(element, root, exclude)) continue;
    const group = groups.get(element.name);
    if (group) group.push(element);
    else groups.set(element.name, [element]);
  }
  return groups;
}

const allOf = (fields: readonly DraftField[], kind: FieldKind) =>
  fields.every((field) => fieldKind(field) === kind);
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
/** A radio group's value: the checked value, or `null` for none. */
const isChoice = (value: unknown): value is string | null =>
  typeof value === 'string' || value === null;

/**
 * The value of one name (see `DraftValues` for the shapes): the checked value of a radio group
 * (or `null`); a lone checkbox's state, a checkbox group's checked values; a lone field's value
 * (the selected values of a multiple select); else one value per field, in document order.
 */
export function readGroup(fields: readonly DraftField[]): unknown {
  const inputs = fields as readonly HTMLInputElement[];
  const checked = inputs.filter((input) => input.checked).map((input) => input.value);
  if (allOf(fields, 'radio')) return checked[0] ?? null;
  if (allOf(fields, 'checkbox')) return inputs.length > 1 ? checked : inputs[0]!.checked;
  if (fields.length > 1) return fields.map((field) => readGroup([field]));
  const field = fields[0]!;
  return fieldKind(field) === 'select-multiple'
    ? Array.from((field as HTMLSelectElement).selectedOptions, (option) => option.value)
    : field.value;
}

/** Every draftable value of `root`. */
export function readFields(root: Element, exclude: ExcludeOption | undefined): DraftValues {
  // fromEntries, not assignment: a field named `__proto__` must stay an ordinary key.
  return Object.fromEntries(
    Array.from(collectFields(root, exclude), ([name, fields]) => [name, readGroup(fields)]),
  );
}

/** Apply one stored value to one field; values of the wrong shape (a changed form) are skipped. */
function applyField(field: DraftField, value: unknown): boolean {
  const kind = fieldKind(field);
  const input = field as HTMLInputElement;
  if (kind === 'checkbox') return typeof value === 'boolean' && setFieldChecked(input, value);
  if (kind === 'radio') return isChoice(value) && setFieldChecked(input, input.value === value);
  if (kind === 'select-multiple') {
    return isStringArray(value) && setSelectedValues(field as HTMLSelectElement, value);
  }
  // A single select cannot take a value it has no option for.
  const known =
    kind !== 'select' ||
    [...(field as HTMLSelectElement).options].some((option) => option.value === value);
  return typeof value === 'string' && known && setFieldValue(field, value);
}

/**
 * Apply the stored value of one name to its fields; `true` when any field changed. (Every field
 * is visited: `.map()` then `.includes(true)`, never a short-circuit.)
 */
export function applyGroup(fields: readonly DraftField[], value: unknown): boolean {
  const inputs = fields as readonly HTMLInputElement[];
  if (allOf(fields, 'radio')) {
    if (!isChoice(value)) return false;
    // Check the chosen one first (the browser unchecks the rest), then clear any left over.
    const chosen = inputs.find((radio) => radio.value === value);
    return [
      !!chosen && setFieldChecked(chosen, true),
      ...inputs.map((radio) => radio !== chosen && setFieldChecked(radio, false)),
    ].includes(true);
  }
  if (allOf(fields, 'checkbox') && (inputs.length > 1 || Array.isArray(value))) {
    return (
      isStringArray(value) &&
      inputs.map((box) => setFieldChecked(box, value.includes(box.value))).includes(true)
    );
  }
  if (fields.length === 1) return applyField(fields[0]!, value);
  // A missing value (a shorter array) is `undefined`, which no field takes.
  return (
    Array.isArray(value) &&
    fields.map((field, index) => applyField(field, value[index])).includes(true)
  );
}
