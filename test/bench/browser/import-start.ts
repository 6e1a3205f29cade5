/**
 * Imported first by main.ts, so it is evaluated before any module of sessionkeeper, ky or zod:
 * the start of the library's own part of a page load. The package says `"sideEffects": false`;
 * the bench build keeps this module all the same (see server.ts).
 */
performance.mark('sk:import-start');
