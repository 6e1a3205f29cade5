/** "12 s", "3 min 05 s", "—" for none; `ms` may be negative (past). */
export function formatIn(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Wall-clock time with milliseconds: "14:03:07.412". */
export function formatTime(at: number): string {
  const date = new Date(at);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A user's display name from the token claims (`name`, else `sub`). */
export function displayName(user: { id: string | null; claims: Record<string, unknown> } | null) {
  if (!user) return '—';
  const name = user.claims.name;
  return typeof name === 'string' ? name : (user.id ?? 'unknown user');
}

/** "alice" → "Alice". */
export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Wall-clock time to the second: "14:03:07" (when an action happened). */
export function formatClock(at: number): string {
  return formatTime(at).slice(0, 8);
}
