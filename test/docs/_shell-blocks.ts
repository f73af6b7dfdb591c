/**
 * The shell blocks of a Markdown document, and a shell session that runs them in order.
 *
 * Convention (documented in README.md, "Docs that run"):
 * - a fenced block tagged `sh`, `bash` or `shell` is a script: every line runs;
 * - a block tagged `console` shows a session: the lines that start with `$ ` are the commands
 *   (a line ending in `\` continues on the next one), the other lines are sample output;
 * - `<!-- doc-test: skip (REASON) -->` on the last non-blank line before a block skips it; the
 *   reason is required and shown in the test report;
 * - blocks of other languages (yaml, js, ...) are not run.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ShellBlock {
  /** `file:line` of the opening fence. */
  readonly where: string;
  readonly line: number;
  readonly script: string;
  /** Set when the block is marked `doc-test: skip (...)`. */
  readonly skip?: string;
}

const FENCE = /^\s*(`{3,}|~{3,})\s*([\w-]*)/;
const DIRECTIVE = /^\s*<!--\s*doc-test:(.*?)-->\s*$/;
const SHELL = new Set(['sh', 'bash', 'shell']);
/** How long close() lets the processes of the last block end by themselves, by default. */
const GRACE_MS = 5_000;

/** `console` block: the commands only, without their `$ ` prompt. */
function consoleCommands(lines: readonly string[]): string {
  const out: string[] = [];
  let continued = false;
  for (const line of lines) {
    if (continued) out.push(line);
    else if (line.startsWith('$ ')) out.push(line.slice(2));
    else continue;
    continued = line.endsWith('\\');
  }
  return out.join('\n');
}

/** Every shell block of `markdown`; throws on a malformed doc-test directive or an unclosed fence. */
export function extractShellBlocks(markdown: string, file: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      if (lines[i]!.trim() !== '') previous = lines[i]!;
      continue;
    }
    const [, fence, lang] = open as unknown as [string, string, string];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: unclosed code fence`);

    const directive = DIRECTIVE.exec(previous)?.[1]?.trim();
    previous = lines[i]!;
    const where = `${file}:${start + 1}`;
    let skip: string | undefined;
    if (directive !== undefined) {
      const m = /^skip\s*\((.+)\)$/.exec(directive);
      if (!m?.[1]?.trim()) {
        throw new Error(
          `${where}: write the directive as <!-- doc-test: skip (the reason) -->, not "${directive}"`,
        );
      }
      skip = m[1].trim();
      if (!SHELL.has(lang) && lang !== 'console')
        throw new Error(`${where}: doc-test: skip before a ${lang || 'plain'} block, which is never run`);
    }
    if (!SHELL.has(lang) && lang !== 'console') continue;
    const indent = /^\s*/.exec(lines[start]!)![0].length;
    const dedented = body.map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length)));
    const script = lang === 'console' ? consoleCommands(dedented) : dedented.join('\n');
    blocks.push({ where, line: start + 1, script, ...(skip === undefined ? {} : { skip }) });
  }
  return blocks;
}

export interface BlockResult {
  /** The shell's exit status when the block ended the session (it failed), else undefined. */
  readonly exitCode?: number | null;
  readonly timedOut?: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * One bash process that runs blocks in order, as a reader pasting them into one terminal would:
 * they share the working directory, variables and background jobs. Strict mode (`set -euo
 * pipefail`): a failing command ends the block and the session. The shell leads its own process
 * group, so `close()` also stops whatever a block left running in the background.
 */
export class ShellSession {
  readonly #dir: string;
  readonly #graceMs: number;
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #exitCode: number | null | undefined;
  #status = '';
  #count = 0;

  constructor(options: { cwd: string; scratch: string; env: NodeJS.ProcessEnv; graceMs?: number }) {
    this.#dir = options.scratch;
    this.#graceMs = options.graceMs ?? GRACE_MS;
    this.#child = spawn('bash', ['--noprofile', '--norc'], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
    });
    const status = this.#child.stdio[3] as NodeJS.ReadableStream;
    status.on('data', (c: Buffer) => {
      this.#status += c.toString();
    });
    this.#exited = new Promise((resolve) =>
      this.#child.on('exit', (code, signal) => {
        this.#exitCode = code ?? (signal ? 128 : null);
        resolve(this.#exitCode);
      }),
    );
    this.#child.stdin!.write('set -euo pipefail\n');
  }

  /** Runs one block; resolves when it is done, the shell exits (it failed) or `timeoutMs` passes. */
  async run(script: string, timeoutMs: number): Promise<BlockResult> {
    const n = ++this.#count;
    const file = (ext: string) => join(this.#dir, `block-${n}.${ext}`);
    writeFileSync(file('sh'), `${script}\n`);
    writeFileSync(file('out'), '');
    writeFileSync(file('err'), '');
    const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
    const started = Date.now();
    const done = `done ${n}\n`;
    const finished = new Promise<'done' | 'exited' | 'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      const check = () => {
        if (this.#status.includes(done)) {
          clearTimeout(timer);
          resolve('done');
        }
      };
      this.#child.stdio[3]!.on('data', check);
      void this.#exited.then(() => {
        clearTimeout(timer);
        // The status line may have arrived with the exit.
        resolve(this.#status.includes(done) ? 'done' : 'exited');
      });
      check();
    });
    if (this.#exitCode === undefined) {
      this.#child.stdin!.write(
        `source ${q(file('sh'))} < /dev/null > ${q(file('out'))} 2> ${q(file('err'))}; printf 'done ${n}\\n' >&3\n`,
      );
    }
    const outcome = await finished;
    if (outcome === 'timeout') this.kill();
    return {
      ...(outcome === 'done' ? {} : { exitCode: outcome === 'timeout' ? null : this.#exitCode }),
      ...(outcome === 'timeout' ? { timedOut: true } : {}),
      stdout: readFileSync(file('out'), 'utf8'),
      stderr: readFileSync(file('err'), 'utf8'),
      ms: Date.now() - started,
    };
  }

  /** Ends the session; resolves to true if something the blocks started was still running. */
  async close(): Promise<boolean> {
    if (this.#exitCode === undefined) this.#child.stdin!.end('exit 0\n');
    await this.#exited;
    // Short-lived helpers (tsx's esbuild service) end just after the command that used them.
    const deadline = Date.now() + this.#graceMs;
    while (this.#groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const leftover = this.#groupAlive();
    if (leftover) {
      this.leftover = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(this.#child.pid)], {
        encoding: 'utf8',
      }).trim();
      this.kill();
    }
    return leftover;
  }

  /** What was still running at close(), if anything (`ps` lines). */
  leftover = '';

  #groupAlive(): boolean {
    try {
      process.kill(-this.#child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGKILL to the shell and everything in its process group. */
  kill(): void {
    try {
      process.kill(-this.#child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
