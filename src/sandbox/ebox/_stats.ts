/** Counters of the ebox module: calls per operation, faults per code, rejections per reason, bytes. */
export class _EboxStats {
  readonly #counts = new Map<string, number>();

  bump(key: string, by = 1): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + by);
  }

  snapshot(extra: Readonly<Record<string, number>> = {}): Readonly<Record<string, number>> {
    return Object.fromEntries(
      [...this.#counts, ...Object.entries(extra)].sort(([a], [b]) => a.localeCompare(b)),
    );
  }
}
