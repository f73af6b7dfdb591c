import { lstat, mkdir, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedKey } from 'ssh2';
import { _AREAS } from './_paths.ts';

/** An SFTP account as configured: login, sender number, authorised public keys. */
export interface _AccountSpec {
  readonly user: string;
  readonly sender: string;
  /** Parsed public keys allowed to log in (at least one). */
  readonly keys: readonly ParsedKey[];
}

/** One file being written, by any session of the account. */
interface _Writer {
  readonly real: string;
  extent: number;
}

/**
 * A partner account on the sandbox SFTP server: its chroot-like root `<dir>/<user>/` (real path)
 * with `IN/` and `OUT/`, and what the quota needs: the bytes of IN/ files that are not being
 * written (rescanned after every change of IN/) plus the extent of each open write handle.
 */
export class _Account {
  readonly #writers = new Map<object, _Writer>();
  #settled = 0;
  #scan: Promise<void> = Promise.resolve();

  private constructor(
    readonly spec: _AccountSpec,
    /** The real path of the account's root. */
    readonly root: string,
  ) {}

  /** Creates the folders (mode 0700) if needed and measures IN/. */
  static async open(dir: string, spec: _AccountSpec): Promise<_Account> {
    const root = join(dir, spec.user);
    for (const area of _AREAS) await mkdir(join(root, area), { recursive: true, mode: 0o700 });
    const account = new _Account(spec, await realpath(root));
    await account.refresh();
    return account;
  }

  get user(): string {
    return this.spec.user;
  }

  get sender(): string {
    return this.spec.sender;
  }

  /** The real path of a folder of the account. */
  area(name: 'IN' | 'OUT'): string {
    return join(this.root, name);
  }

  /** Registers an open write handle on `real`, `size` bytes long now. */
  startWriting(handle: object, real: string, size: number): void {
    this.#writers.set(handle, { real, extent: size });
  }

  /** Forgets a write handle (closed) and rescans IN/. */
  async stopWriting(handle: object): Promise<void> {
    this.#writers.delete(handle);
    await this.refresh();
  }

  /** Whether some session of the account has `real` open for writing. */
  isBeingWritten(real: string): boolean {
    for (const w of this.#writers.values()) if (w.real === real) return true;
    return false;
  }

  /** The bytes IN/ would hold once `handle` wrote up to `end`. */
  usageWith(handle: object, end: number): number {
    let total = this.#settled;
    for (const [h, w] of this.#writers) total += h === handle ? Math.max(w.extent, end) : w.extent;
    return total;
  }

  /** Records that `handle` wrote up to `end`. */
  wrote(handle: object, end: number): void {
    const w = this.#writers.get(handle);
    if (w !== undefined) w.extent = Math.max(w.extent, end);
  }

  /** The bytes IN/ holds now, open files included. */
  usage(): number {
    return this.usageWith(this, 0);
  }

  /** Re-measures the IN/ files nobody is writing (serialised: the last call wins). */
  refresh(): Promise<void> {
    this.#scan = this.#scan.then(async () => {
      const dir = this.area('IN');
      let total = 0;
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const real = join(dir, name);
        if (this.isBeingWritten(real)) continue;
        const st = await lstat(real).catch(() => undefined);
        if (st?.isFile()) total += st.size;
      }
      this.#settled = total;
    });
    return this.#scan;
  }
}
