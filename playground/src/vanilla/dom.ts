/** The element with `data-testid=id` (the vanilla page's markup is static: it must exist). */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`vanilla.html has no [data-testid="${id}"]`);
  return element;
}

/** The `<input>` with `data-testid=id`. */
export const inputById = (id: string) => byTestId<HTMLInputElement>(id);

/** A `<button>` with a label, a test id and a click handler. */
export function button(label: string, testId: string, onClick: () => void, className = '') {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.dataset.testid = testId;
  if (className) element.className = className;
  element.addEventListener('click', onClick);
  return element;
}

/**
 * Show a modal `<dialog>` while `open`, close it otherwise (idempotent). Escape does not close
 * it: the buttons inside say what happens next.
 */
export function showDialog(dialog: HTMLDialogElement, open: boolean): void {
  if (!dialog.dataset.modal) {
    dialog.dataset.modal = 'true';
    dialog.addEventListener('cancel', (event) => event.preventDefault());
  }
  if (open && !dialog.open) dialog.showModal();
  else if (!open && dialog.open) dialog.close();
}

/** Set an element's text only when it changed (the page re-renders five times a second). */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
