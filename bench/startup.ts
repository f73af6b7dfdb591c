// Start-up wall time of the compiled CLI (bin/passerelle.mjs → dist/, plain node) for `--help`,
// `env list` and `cert inspect FILE`, against `node -e 0` in the same run, and of the same
// commands from the sources through tsx (how bin/passerelle.mjs ran before the build step).
// Rounds alternate the commands so that a drift of the machine hits all alike; medians.
// Alone: `npm run bench -- startup`; BENCH_STARTUP_RUNS (default 11).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bench, type BenchReport, median } from './_measure.ts';

const root = new URL('..', import.meta.url).pathname;
const TARGET = 2.5;

function time(args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PASSERELLE_CONFIG: '' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const bench: Bench = {
  name: 'startup',
  description: `wall time of the compiled CLI's start-up vs node -e 0 (target ≤ ${TARGET}×), and through tsx`,
  async run(report: BenchReport) {
    const runs = Number(process.env['BENCH_STARTUP_RUNS'] ?? 11);
    if (!Number.isSafeInteger(runs) || runs < 1)
      throw new TypeError('BENCH_STARTUP_RUNS must be a positive integer');
    const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-startup-'));
    try {
      const bin = join(root, 'bin/passerelle.mjs');
      const tsx = [import.meta.resolve('tsx'), join(root, 'src/cli/bin.ts')];
      time([bin, 'cert', 'dev-ca', '--out', 'pki'], dir);
      const commands: Record<string, string[]> = {
        '--help': ['--help'],
        'env list': ['env', 'list'],
        'cert inspect FILE': ['cert', 'inspect', 'pki/partner-app.p12', '--password-file', 'pki/password'],
        // With a configuration file the schema (zod) loads too; the lines above have none.
        'env list --config F.json': ['--config', 'config.json', 'env', 'list'],
      };
      writeFileSync(join(dir, 'config.json'), '{}\n');
      const cases: [string, string[]][] = [['node -e 0', ['-e', '0']]];
      for (const [name, args] of Object.entries(commands)) cases.push([`passerelle ${name}`, [bin, ...args]]);
      for (const [name, args] of Object.entries(commands))
        cases.push([`tsx src/cli/bin.ts ${name}`, ['--import', ...tsx, ...args]]);
      for (const [, args] of cases) time(args, dir); // warm the file cache
      const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]));
      for (let round = 0; round < runs; round++)
        for (const [name, args] of cases) samples.get(name)!.push(time(args, dir));
      const base = median(samples.get('node -e 0')!);
      report.line(`median of ${runs} runs each, alternating`);
      for (const [name] of cases) {
        const ms = median(samples.get(name)!);
        const ratio = ms / base;
        const verdict = name.startsWith('passerelle') ? (ratio <= TARGET ? '  ok' : `  over ${TARGET}×`) : '';
        report.line(
          `${name.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(5)}×${verdict}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
