import {
  type IdleSettings,
  idleSearch,
  type LifetimeSettings,
  lifetimeSearch,
} from '../lib/settings';
import { byTestId, inputById } from './dom';

/** The idle timeout form: applying reloads the page with the settings in the URL. */
function setupIdleForm(settings: IdleSettings): void {
  const enabled = inputById('idle-enabled');
  const timeout = inputById('idle-timeout');
  const prompt = inputById('idle-prompt');
  enabled.checked = settings.enabled;
  timeout.value = String(settings.timeoutSeconds);
  prompt.value = String(settings.promptSeconds);
  const sync = () => {
    timeout.disabled = !enabled.checked;
    prompt.disabled = !enabled.checked;
  };
  enabled.addEventListener('change', sync);
  sync();
  byTestId<HTMLFormElement>('idle-form').addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.search = idleSearch(window.location.search, {
      enabled: enabled.checked,
      timeoutSeconds: Number(timeout.value),
      promptSeconds: Number(prompt.value),
    });
  });
}

/** The absolute lifetime form: applying reloads the page with the settings in the URL. */
function setupLifetimeForm(settings: LifetimeSettings): void {
  const enabled = inputById('max-enabled');
  const seconds = inputById('max-seconds');
  const warn = inputById('end-warn-seconds');
  enabled.checked = settings.maxSeconds !== null;
  seconds.value = String(settings.maxSeconds ?? 600);
  warn.value = String(settings.warnSeconds);
  const sync = () => {
    seconds.disabled = !enabled.checked;
    warn.disabled = !enabled.checked;
  };
  enabled.addEventListener('change', sync);
  sync();
  byTestId<HTMLFormElement>('lifetime-form').addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.search = lifetimeSearch(window.location.search, {
      maxSeconds: enabled.checked ? Number(seconds.value) : null,
      warnSeconds: Number(warn.value),
    });
  });
}

/** Both settings forms; each keeps the other's settings in the URL. */
export function setupSettingsForms(idle: IdleSettings, lifetime: LifetimeSettings): void {
  setupIdleForm(idle);
  setupLifetimeForm(lifetime);
}
