/** The median of `values` (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The `p`-th percentile (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The finite figures `f` picks from `samples` (null, NaN and missing ones left out). */
export const finite = <T>(samples: readonly T[], f: (sample: T) => number | null | undefined) =>
  samples.map(f).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** `12.3` with `digits` decimals. */
export const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** "median [min–max]" of repeated figures; just the value when there is one. */
export function spread(values: readonly number[], digits = 1): string {
  const m = fixed(median(values), digits);
  if (values.length < 2) return m;
  return `${m} [${fixed(Math.min(...values), digits)}–${fixed(Math.max(...values), digits)}]`;
}

/** "median (p10 x, p90 y, n z)" of samples. */
export function distribution(values: readonly number[], digits = 1): string {
  return (
    `${fixed(median(values), digits)} (p10 ${fixed(percentile(values, 10), digits)}, ` +
    `p90 ${fixed(percentile(values, 90), digits)}, n ${values.length})`
  );
}

/** Bytes as kB with one decimal. */
export const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** Wait `ms` (real time). */
export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
