import { closeSync, openSync, writeSync } from 'node:fs';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';

/** One sandbox log entry as the console API serves it. */
export interface SandboxLogEntry {
  readonly time: string;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly module: string;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Field names whose values are secrets: replaced before an entry is kept or written. */
const SECRET_FIELD =
  /^(password|passphrase|passwd|secret|client_?secret|token|access_?token|id_?token|refresh_?token|bearer|assertion|client_?assertion|saml_?assertion|private_?key|key_?pem|authorization|cookie|set-cookie)$/i;
/** Values that look like secrets whatever their field name: PEM private keys and JWTs. */
const SECRET_VALUE = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
];
const REDACTED = '[redacted]';

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return SECRET_VALUE.reduce((s, re) => s.replace(re, REDACTED), value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: scrub(value.message) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? REDACTED : scrub(v, depth + 1);
  return out;
}

/**
 * The sandbox log: JSON lines appended to `<stateDir>/sandbox.log` and the most recent entries
 * kept in memory for the console. Entries carry precise rejection reasons; secrets are
 * scrubbed by field name and by shape before anything is kept or written.
 */
export class SandboxLog {
  readonly #entries: SandboxLogEntry[] = [];
  readonly #clock: Clock;
  readonly #limit: number;
  readonly #mirror: Logger | undefined;
  #fd: number | undefined;

  constructor(
    file: string | undefined,
    clock: Clock,
    { limit = 2000, mirror }: { limit?: number; mirror?: Logger | undefined } = {},
  ) {
    this.#clock = clock;
    this.#limit = limit;
    this.#mirror = mirror;
    this.#fd = file === undefined ? undefined : openSync(file, 'a', 0o600);
  }

  /** A logger whose entries are tagged with a module name. */
  forModule(module: string): Logger {
    const at =
      (level: SandboxLogEntry['level']) =>
      (fields: Record<string, unknown>, msg: string): void =>
        this.#push(level, module, fields, msg);
    return Object.freeze({ debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') });
  }

  /** The most recent entries, oldest first. */
  recent(limit = 100): SandboxLogEntry[] {
    return this.#entries.slice(-Math.max(0, limit));
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #push(level: SandboxLogEntry['level'], module: string, fields: Record<string, unknown>, msg: string): void {
    const entry: SandboxLogEntry = {
      time: new Date(this.#clock.now()).toISOString(),
      level,
      module,
      msg: scrub(msg) as string,
      fields: scrub(fields) as Record<string, unknown>,
    };
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.shift();
    if (this.#fd !== undefined) {
      const line = JSON.stringify({ time: entry.time, level, module, msg: entry.msg, ...entry.fields });
      writeSync(this.#fd, `${line}\n`);
    }
    this.#mirror?.[level]({ module, ...entry.fields }, entry.msg);
  }
}
