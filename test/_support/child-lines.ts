import { spawn } from 'node:child_process';

/**
 * Runs `script` (an ES module) in a child node process with `env`, and waits for the lines it
 * prints: `next(prefix)` resolves the first line starting with `prefix` (already printed or to
 * come), and fails if the child exits before printing one. Load generators run there, so that
 * the heap and CPU the test measures are the server's alone. Killed when the test ends.
 */
export function childLines(
  t: { after: (fn: () => void) => void },
  script: string,
  env: Record<string, string>,
): { next(prefix: string): Promise<string> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill());
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    lines.push(...c.split('\n').filter((l) => l !== ''));
    wake?.();
  });
  return {
    async next(prefix) {
      for (;;) {
        const hit = lines.find((l) => l.startsWith(prefix));
        if (hit) return hit;
        await new Promise<void>((resolve) => {
          wake = resolve;
          child.once('exit', () => resolve());
        });
        if (child.exitCode !== null && !lines.some((l) => l.startsWith(prefix)))
          throw new Error(`client process exited before ${prefix}`);
      }
    },
  };
}
