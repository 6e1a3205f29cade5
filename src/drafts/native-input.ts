/**
 * Changing a field the way a user would, so that frameworks see it. React replaces `value` and
 * `checked` on each controlled element with its own tracking property: a plain assignment updates
 * React's record of the value too, so React sees no change and resets the field on the next
 * render. Calling the setter of the element's prototype (its own window's
 * `HTMLInputElement.prototype`: `Reflect.set` on the prototype with the element as receiver
 * skips the instance property) changes the DOM behind the tracker; the bubbling `input` and
 * `change` events that follow are what React and other libraries listen to.
 */

type Settable = 'value' | 'checked' | 'selected';

/** Assign through the prototype's setter (every DOM defines these as prototype accessors). */
const assign = (element: Element, property: Settable, value: unknown) =>
  Reflect.set(Object.getPrototypeOf(element), property, value, element);

/** Dispatch bubbling `input` and `change`, created in the element's own window. */
function announce(element: Element): void {
  const EventCtor = element.ownerDocument.defaultView?.Event ?? Event;
  for (const type of ['input', 'change']) {
    element.dispatchEvent(new EventCtor(type, { bubbles: true }));
  }
}

/** Set a text-like field's or single select's value; `false` when it already had it. */
export function setFieldValue(
  field: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  value: string,
): boolean {
  if (field.value === value) return false;
  assign(field, 'value', value);
  announce(field);
  return true;
}

/**
 * Check or uncheck a checkbox or radio; `false` when it already was. React listens to `click`
 * (not `input`/`change`) for these, so the change is a `click()`: the browser toggles the box
 * behind React's tracker and fires `click`, `input` and `change` itself. When that did not land
 * (a disabled field, a handler that cancelled the click, or unchecking a radio, which a click
 * cannot do), the prototype setter and `input`/`change` are used instead.
 */
export function setFieldChecked(field: HTMLInputElement, checked: boolean): boolean {
  if (field.checked === checked) return false;
  if (checked || field.type === 'checkbox') field.click();
  if (field.checked !== checked) {
    assign(field, 'checked', checked);
    announce(field);
  }
  return true;
}

/** Select exactly the options whose values are in `values`; `false` when nothing changed. */
export function setSelectedValues(field: HTMLSelectElement, values: readonly string[]): boolean {
  let changed = false;
  for (const option of field.options) {
    const selected = values.includes(option.value);
    if (option.selected !== selected) {
      assign(option, 'selected', selected);
      changed = true;
    }
  }
  if (changed) announce(field);
  return changed;
}
