import type { Page } from 'playwright-core';
import { testId } from './page';

/** What the test types into the playground's order form. */
export const ALICE_ORDER = {
  fullName: 'Alice Example',
  notes: 'Leave it at the door, please',
  plan: 'team',
  password: 'correct horse battery staple',
  cardNumber: '4111 1111 1111 1111',
} as const;

/** The order form as a new page shows it. */
export const EMPTY_ORDER = {
  fullName: '',
  notes: '',
  plan: 'starter',
  giftWrap: false,
  speed: 'standard',
  password: '',
  cardNumber: '',
} as const;

/** Half fill the order form: text, textarea, select, checkbox, radio, password and card. */
export async function fillOrder(page: Page): Promise<void> {
  await page.fill(testId('field-fullName'), ALICE_ORDER.fullName);
  await page.fill(testId('field-notes'), ALICE_ORDER.notes);
  await page.selectOption(testId('field-plan'), ALICE_ORDER.plan);
  await page.check(testId('field-giftWrap'));
  await page.check(testId('field-speed-express'));
  await page.fill(testId('field-password'), ALICE_ORDER.password);
  await page.fill(testId('field-cardNumber'), ALICE_ORDER.cardNumber);
}

/** Wait until the stored draft holds every field drafts keep. */
export async function waitForDraft(page: Page): Promise<void> {
  await page.waitForFunction((selector) => {
    const fields = document.querySelector(selector)?.getAttribute('data-fields')?.split(',') ?? [];
    return ['fullName', 'notes', 'plan', 'giftWrap', 'speed'].every((f) => fields.includes(f));
  }, testId('draft-fields'));
}

/** Every value of the order form, as the page shows it. */
export async function readOrder(page: Page) {
  return page.evaluate((selector) => {
    const form = document.querySelector<HTMLFormElement>(selector)!;
    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    return {
      fullName: field('fullName').value,
      notes: (form.elements.namedItem('notes') as HTMLTextAreaElement).value,
      plan: (form.elements.namedItem('plan') as HTMLSelectElement).value,
      giftWrap: field('giftWrap').checked,
      speed: (form.elements.namedItem('speed') as RadioNodeList).value,
      password: field('password').value,
      cardNumber: field('cardNumber').value,
    };
  }, testId('order-form'));
}

/** The localStorage keys of drafts, e.g. `sessionkeeper:draft:alice:order`. */
export async function draftKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes(':draft:')));
}
