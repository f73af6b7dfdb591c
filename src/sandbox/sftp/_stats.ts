/**
 * Counters of the sftp module: `sessions`, `uploads`, `bytesIn`, `bytesOut`,
 * `submissions.<accepted|rejected|cancelled>`, `refusals` and `refusals.<reason>`, `auth.refused`.
 */
export class _SftpStats {
  readonly #counts = new Map<string, number>();

  bump(key: string, by = 1): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + by);
  }

  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  snapshot(): Readonly<Record<string, number>> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
