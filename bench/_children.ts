// The benches' child processes: each side bundled with esbuild and run by plain node (as
// deployed: no TypeScript loader in the process), so that each one's peak RSS and CPU time
// are its own. Children answer "usage" with them and exit on "stop".
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { build } from 'esbuild';

/**
 * Bundles `bench/<name>.ts` into the repository's node_modules/.cache (so that the native and
 * external packages, kept out of the bundle, resolve from there). Returns the bundle's path.
 */
export async function bundleChild(name: string, external: readonly string[] = []): Promise<string> {
  const outfile = new URL(`../node_modules/.cache/passerelle-bench/${name}.mjs`, import.meta.url).pathname;
  await build({
    entryPoints: [new URL(`./${name}.ts`, import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    external: [...external],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return outfile;
}

/** Starts a bundled child with these node flags and resolves its first message. */
export async function startChild<T>(
  file: string,
  args: readonly string[],
  execArgv: readonly string[],
): Promise<{ process: ChildProcess; first: T }> {
  const p = fork(file, [...args], { execArgv: [...execArgv], stdio: 'inherit' });
  const [first] = (await Promise.race([
    once(p, 'message'),
    once(p, 'exit').then(() => Promise.reject(new Error(`${file} exited`))),
  ])) as [T];
  return { process: p, first };
}

export interface ChildUsage {
  readonly cpuSeconds: number;
  readonly maxRss?: number;
}

/** A server child's CPU time and peak RSS so far. */
export async function childUsage(p: ChildProcess): Promise<ChildUsage> {
  const reply = once(p, 'message') as Promise<[ChildUsage]>;
  p.send('usage');
  return (await reply)[0];
}

/** Asks each child to stop and waits until it has exited. */
export async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  for (const p of children) {
    p.send('stop');
    await once(p, 'exit').catch(() => {});
  }
}

/** Node flags from an environment variable (space-separated; "" for none), else the default. */
export function nodeFlags(variable: string, fallback: string): string[] {
  return (process.env[variable] ?? fallback).split(' ').filter(Boolean);
}
