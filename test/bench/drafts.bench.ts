// @vitest-environment happy-dom
import { bench, describe } from 'vitest';
import { createDraftStore } from '../../src/drafts/draft-store';
import { readFields } from '../../src/drafts/form-fields';
import { MemoryStorage } from '../helpers/storage';

/** A 50-field form: 30 text-like inputs, 5 textareas, 5 selects, 5 checkboxes, 5 radio groups. */
function fiftyFieldForm(): HTMLFormElement {
  const parts: string[] = [];
  for (let i = 0; i < 30; i++) parts.push(`<input name="text${i}" value="value ${i}">`);
  for (let i = 0; i < 5; i++)
    parts.push(`<textarea name="area${i}">some longer text ${i}</textarea>`);
  for (let i = 0; i < 5; i++) {
    parts.push(`<select name="select${i}"><option>a</option><option selected>b</option></select>`);
  }
  for (let i = 0; i < 5; i++) parts.push(`<input type="checkbox" name="box${i}" checked>`);
  for (let i = 0; i < 5; i++) {
    parts.push(
      `<input type="radio" name="radio${i}" value="x"><input type="radio" name="radio${i}" value="y" checked>`,
    );
  }
  const form = document.createElement('form');
  form.innerHTML = parts.join('');
  document.body.append(form);
  return form;
}

/** Timers and a clock advanced by hand, so 1,000 keystrokes take no real time. */
function manualTime() {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    env: {
      now: () => now,
      setTimeout: (run: () => void, ms: number) => {
        timers.set(++nextId, { at: now + ms, run });
        return nextId;
      },
      clearTimeout: (id: unknown) => void timers.delete(id as number),
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].run();
      }
      now = end;
    },
  };
}

/** Storage writes for 1,000 keystrokes typed `gapMs` apart, with a `pauseMs` pause every `burst` keys. */
function writesFor(gapMs: number, burst: number, pauseMs: number): number {
  const storage = new MemoryStorage();
  const time = manualTime();
  const store = createDraftStore({ scope: 'alice', env: { ...time.env, localStorage: storage } });
  const form = fiftyFieldForm();
  store.attach(form, { key: 'bench' });
  const field = form.querySelector('textarea') as HTMLTextAreaElement;
  for (let key = 1; key <= 1_000; key++) {
    field.value += 'x';
    field.dispatchEvent(new Event('input', { bubbles: true }));
    time.advance(key % burst === 0 ? pauseMs : gapMs);
  }
  time.advance(1_000);
  store.destroy();
  form.remove();
  return storage.writes;
}

const scenarios = [
  ['steady typing, a key every 150 ms', 150, 1_000, 0],
  ['typing with a 1 s pause after every 40 keys (a sentence)', 150, 40, 1_000],
  ['worst case: a key every 301 ms (just past the debounce)', 301, 1_000, 0],
] as const;
for (const [label, gap, burst, pause] of scenarios) {
  console.log(`drafts: 1,000 keystrokes, ${label}: ${writesFor(gap, burst, pause)} storage writes`);
}

describe('drafts', () => {
  const storage = new MemoryStorage();
  const store = createDraftStore({ scope: 'alice', env: { localStorage: storage } });
  const form = fiftyFieldForm();
  store.attach(form, { key: 'bench' });
  const field = form.querySelector('input') as HTMLInputElement;

  bench('one save of a 50-field form (input event, read, serialise, setItem)', () => {
    field.dispatchEvent(new Event('input', { bubbles: true }));
    store.flush();
  });

  // A public form while nobody is signed in: the anonymous draft, the same path.
  const visitor = createDraftStore({ scope: null, env: { localStorage: new MemoryStorage() } });
  const publicForm = fiftyFieldForm();
  visitor.attach(publicForm, { key: 'bench', anonymous: true });
  const publicField = publicForm.querySelector('input') as HTMLInputElement;

  bench('one save of a 50-field anonymous form (nobody signed in)', () => {
    publicField.dispatchEvent(new Event('input', { bubbles: true }));
    visitor.flush();
  });

  bench('reading the values of a 50-field form', () => {
    readFields(form, undefined);
  });

  bench('one keystroke (debounced: no write)', () => {
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
});
