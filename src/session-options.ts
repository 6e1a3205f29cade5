import type { CrossTabOptions, IdleOptions, QueueOptions, SessionOptions } from './types';

/** Defaults, named with their unit. */
export const REFRESH_BEFORE_EXPIRY_MS = 120_000;
export const QUEUE_MAX_SIZE = 100;
export const QUEUE_HOLD_TIMEOUT_MS = 600_000;
export const INIT_TIMEOUT_MS = 500;
export const DEFAULT_NAME = 'sessionkeeper';

export function crossTabName(option: SessionOptions['crossTab']): string {
  return (typeof option === 'object' && option.name) || DEFAULT_NAME;
}

export function crossTabEnabled(option: SessionOptions['crossTab']): boolean {
  return option !== false;
}

export function queueOptions(option: QueueOptions = {}): Required<QueueOptions> {
  return {
    whileExpired: option.whileExpired ?? 'hold',
    maxSize: option.maxSize ?? QUEUE_MAX_SIZE,
    holdTimeoutMs: option.holdTimeoutMs ?? QUEUE_HOLD_TIMEOUT_MS,
  };
}

export function idleOptions(option: SessionOptions['idle']): IdleOptions | null {
  if (!option) return null;
  return option === true ? {} : option;
}

export type { CrossTabOptions };
