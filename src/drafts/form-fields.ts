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
  for (const element of Array.from(root.querySelectorAll('input, textarea, select'))) {
    if (!isDraftable(element, root, exclude)) continue;
    const group = groups.get(element.name);
    if (group) group.push(element);
    else groups.set(element.name, [element]);
  }
  return groups;
}

const kindOf = (field: DraftField): FieldKind => fieldKind(field) ?? 'text';
const allOf = (fields: readonly DraftField[], kind: FieldKind) =>
  fields.every((field) => kindOf(field) === kind);

function selectedValues(select: HTMLSelectElement): string[] {
  return Array.from(select.options)
    .filter((option) => option.selected)
    .map((option) => option.value);
}

function fieldValue(field: DraftField): string | string[] | boolean | null {
  switch (kindOf(field)) {
    case 'checkbox':
      return (field as HTMLInputElement).checked;
    case 'radio':
      return (field as HTMLInputElement).checked ? field.value : null;
    case 'select-multiple':
      return selectedValues(field as HTMLSelectElement);
    default:
      return field.value;
  }
}

/** The value of one name (see `DraftValues` for the shapes). */
export function readGroup(fields: readonly DraftField[]): unknown {
  const inputs = fields as readonly HTMLInputElement[];
  if (allOf(fields, 'radio')) return inputs.find((radio) => radio.checked)?.value ?? null;
  if (allOf(fields, 'checkbox')) {
    if (inputs.length === 1) return inputs[0]?.checked ?? false;
    return inputs.filter((box) => box.checked).map((box) => box.value);
  }
  return fields.length === 1 && fields[0] ? fieldValue(fields[0]) : fields.map(fieldValue);
}

/** Every draftable value of `root`. */
export function readFields(root: Element, exclude: ExcludeOption | undefined): DraftValues {
  // fromEntries, not assignment: a field named `__proto__` must stay an ordinary key.
  return Object.fromEntries(
    Array.from(collectFields(root, exclude), ([name, fields]) => [name, readGroup(fields)]),
  );
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Apply one stored value to one field; values of the wrong shape (a changed form) are skipped. */
function applyField(field: DraftField, value: unknown): boolean {
  switch (kindOf(field)) {
    case 'checkbox':
      return typeof value === 'boolean' && setFieldChecked(field as HTMLInputElement, value);
    case 'radio':
      if (typeof value !== 'string' && value !== null) return false;
      return setFieldChecked(field as HTMLInputElement, field.value === value);
    case 'select-multiple':
      return isStringArray(value) && setSelectedValues(field as HTMLSelectElement, value);
    case 'select': {
      const select = field as HTMLSelectElement;
      const known = Array.from(select.options).some((option) => option.value === value);
      return typeof value === 'string' && known && setFieldValue(select, value);
    }
    default:
      return typeof value === 'string' && setFieldValue(field, value);
  }
}

/** Apply the stored value of one name to its fields; `true` when any field changed. */
export function applyGroup(fields: readonly DraftField[], value: unknown): boolean {
  const inputs = fields as readonly HTMLInputElement[];
  let changed = false;
  if (allOf(fields, 'radio')) {
    if (typeof value !== 'string' && value !== null) return false;
    // Check the chosen one first (the browser unchecks the rest), then clear any left over.
    const chosen = inputs.find((radio) => radio.value === value);
    if (chosen) changed = setFieldChecked(chosen, true);
    for (const radio of inputs)
      if (radio !== chosen) changed = setFieldChecked(radio, false) || changed;
    return changed;
  }
  if (allOf(fields, 'checkbox') && (inputs.length > 1 || Array.isArray(value))) {
    if (!isStringArray(value)) return false;
    for (const box of inputs) changed = setFieldChecked(box, value.includes(box.value)) || changed;
    return changed;
  }
  if (fields.length === 1 && fields[0]) return applyField(fields[0], value);
  if (!Array.isArray(value)) return false;
  fields.forEach((field, index) => {
    if (index < value.length) changed = applyField(field, value[index]) || changed;
  });
  return changed;
}
