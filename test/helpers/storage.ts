import type { StorageLike } from '../../src/lib/env';

/** An in-memory Web Storage with a spy-able surface; `fail` makes every call throw. */
export class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  fail: false | 'all' | 'write' = false;
  writes = 0;

  private check(write: boolean) {
    if (this.fail === 'all' || (write && this.fail === 'write')) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
  }
  getItem(key: string): string | null {
    this.check(false);
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.check(true);
    this.writes++;
    this.map.set(key, String(value));
  }
  removeItem(key: string): void {
    this.check(true);
    this.map.delete(key);
  }
  keys(): string[] {
    this.check(false);
    return [...this.map.keys()];
  }
  get length(): number {
    return this.map.size;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  /** Every stored value, concatenated: to assert that something never reached storage. */
  dump(): string {
    return [...this.map.entries()].map(([k, v]) => `${k}=${v}`).join('\n');
  }
}
