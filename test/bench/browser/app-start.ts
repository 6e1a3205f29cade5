/**
 * The app's own start, before the library's: a cookie read that says whether a session may exist
 * (the hint for the start-up probe). Imported by main.ts before `import-start`, so that the
 * library's part of the start-up does not include it: a cookie read is a synchronous round trip
 * to the browser, several ms on a busy 2-core machine.
 */
export const sessionHint = document.cookie.split('; ').includes('sk_session=1');
