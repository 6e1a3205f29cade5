import { FakeWindow } from './window';

/** A counting window for an injected env (the idle tests' name for {@link FakeWindow}). */
export const createFakeWindow = () => new FakeWindow();
export type { FakeWindow };
