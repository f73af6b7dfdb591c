/** Counters of the soa module: calls per operation, faults per SOA code, rejections per reason. */
export class _SoaStats {
  readonly #counts = new Map<string, number>();

  call(operation: string): void {
    this.#bump(`calls.${operation}`);
  }

  fault(soaCode: string): void {
    this.#bump(`faults.${soaCode}`);
  }

  /** A rejected call, by precise reason (an ERR_* code, or `tls` for a refused handshake). */
  rejected(reason: string): void {
    this.#bump(`rejected.${reason}`);
  }

  snapshot(): Readonly<Record<string, number>> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  #bump(key: string): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }
}
