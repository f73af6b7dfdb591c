/**
 * Minimal structured logger interface. Library code logs through this only; callers decide
 * where it goes. Never pass secrets (keys, passwords, tokens, assertions) in fields.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

const noop = (): void => {};
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** A logger that keeps entries in memory (sandbox log view, tests). */
export class MemoryLogger implements Logger {
  readonly entries: { level: string; time: number; msg: string; fields: Record<string, unknown> }[] = [];
  constructor(
    private readonly limit = 5000,
    private readonly sink?: (line: string) => void,
  ) {}
  #push(level: string, fields: Record<string, unknown>, msg: string): void {
    const entry = { level, time: Date.now(), msg, fields };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    this.sink?.(JSON.stringify({ level, time: new Date(entry.time).toISOString(), msg, ...fields }));
  }
  debug(fields: Record<string, unknown>, msg: string): void {
    this.#push('debug', fields, msg);
  }
  info(fields: Record<string, unknown>, msg: string): void {
    this.#push('info', fields, msg);
  }
  warn(fields: Record<string, unknown>, msg: string): void {
    this.#push('warn', fields, msg);
  }
  error(fields: Record<string, unknown>, msg: string): void {
    this.#push('error', fields, msg);
  }
}
