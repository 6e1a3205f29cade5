/** The element with `data-testid=id` (the vanilla page's markup is static: it must exist). */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`vanilla.html has no [data-testid="${id}"]`);
  return element;
}

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

/** Show a modal `<dialog>` while `open`, close it otherwise (idempotent). */
export function showDialog(dialog: HTMLDialogElement, open: boolean): void {
  if (open && !dialog.open) dialog.showModal();
  else if (!open && dialog.open) dialog.close();
}
