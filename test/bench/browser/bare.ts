/**
 * The bare page's script: the browser APIs the bench page itself touches (marks, the query, the
 * cookie, its status line), without the library. Blink builds an API's objects on first use, so
 * the bare page pays for these too and the heap figures compare the library alone.
 */
performance.mark('sk:bare');
const params = new URLSearchParams(location.search);
const hint = document.cookie.split('; ').includes('sk_session=1');
const line = document.getElementById('status');
if (line) line.textContent = hint || params.size > 0 ? 'bare (a session hint)' : 'bare';
const waiters = new Set<() => void>();
performance.getEntriesByName('sk:bare');
void Promise.resolve(waiters.size);
