/**
 * Clear the fields drafts never keep (passwords, `autocomplete="cc-*"`): a screen left behind a
 * sign-in dialog must not show them, and they would not come back after a reload either.
 */
export function clearSecrets(form: HTMLFormElement): void {
  for (const field of form.querySelectorAll<HTMLInputElement>('input')) {
    const autocomplete = field.getAttribute('autocomplete') ?? '';
    if (field.type === 'password' || /^cc-/.test(autocomplete)) field.value = '';
  }
}

const hasValue = (value: unknown) =>
  value === true || (typeof value === 'string' && value !== '') || Array.isArray(value);

/** The names of the fields of a stored draft that hold something. */
export function filledFields(draft: Record<string, unknown> | null): string[] {
  return draft ? Object.keys(draft).filter((name) => hasValue(draft[name])) : [];
}
