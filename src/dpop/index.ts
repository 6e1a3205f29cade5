// The `sessionkeeper/dpop` entry: DPoP (RFC 9449) sender-constrained tokens for a session
// (`createSession({ dpop: createDpop() })`).
export { createDpop } from './dpop';
export { DpopError } from './errors';
export type { Dpop, DpopOptions, ProofOptions } from './types';
