import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';

/**
 * A real PostgreSQL for the tests (Debian's `postgresql` package).
 *
 * - If PASSERELLE_TEST_POSTGRES_URL is set (`.ci/run` starts one cluster for the whole run and
 *   exports it), the tests use that server.
 * - Otherwise the first test of a process that asks for PostgreSQL starts a throwaway cluster:
 *   `initdb` into a temporary directory, `pg_ctl start` on a free loopback port with its unix
 *   socket in that directory, trust authentication, durability off (fsync, synchronous_commit,
 *   full_page_writes: only worker processes are killed in the tests, never the server). As root
 *   (CI) the server runs as Debian's `postgres` system user, which owns the directory; postgres
 *   refuses to run as root. The cluster is stopped and its directory removed when the process exits.
 *
 * Each test gets its own database (`database()`); databases are not dropped one by one (a test's
 * connections may outlive its `after` hooks), the whole cluster goes at the end.
 *
 * Outside CI a missing PostgreSQL skips the test with a note; under CI=true it FAILS, because CI
 * installs it and a silent skip would hide a broken proof (same rule as ./peers.ts).
 */
export interface TestPostgres {
  /** URL of the maintenance database (`postgres`). */
  readonly url: string;
  /** Creates a fresh database for one test and returns its URL. */
  database(): string;
}

/** A cluster started by this module. */
export interface ThrowawayCluster {
  readonly url: string;
  readonly dir: string;
  readonly binDir: string;
  stop(): void;
}

const ENV_URL = 'PASSERELLE_TEST_POSTGRES_URL';
const ENV_BIN = 'PASSERELLE_TEST_POSTGRES_BIN';

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin; the newest wins. */
export function findPostgresBinDir(): string | undefined {
  const forced = process.env[ENV_BIN];
  if (forced) return existsSync(join(forced, 'initdb')) ? forced : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(root, majors[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function idOf(flag: '-u' | '-g', user: string): number {
  const r = spawnSync('id', [flag, user], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PostgreSQL cannot run as root and there is no '${user}' user`);
  return Number(r.stdout.trim());
}

/**
 * Starts a throwaway cluster (see the module's comment). Synchronous apart from picking a port;
 * throws with the server's log when it does not start. `durable: true` keeps PostgreSQL's
 * durability defaults (fsync, synchronous_commit, full_page_writes on), for measurements.
 */
export async function startThrowawayCluster(
  binDir: string,
  options: { readonly durable?: boolean } = {},
): Promise<ThrowawayCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, idOf('-u', 'postgres'), idOf('-g', 'postgres'));
  const run = (bin: string, args: string[]) => {
    const [command, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(binDir, bin), ...args]]
      : [join(binDir, bin), args];
    return spawnSync(command as string, argv as string[], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  };
  const data = join(dir, 'data');
  const fail = (what: string, r: ReturnType<typeof run>): never => {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${what} failed (${r.status}): ${(r.stderr || r.error?.message || '').trim()}\n${log}`);
  };
  const init = run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  if (init.status !== 0) fail('initdb', init);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const serverOptions = [
      '-c listen_addresses=127.0.0.1',
      `-p ${port}`,
      `-c unix_socket_directories=${dir}`,
      // Durable (PostgreSQL's defaults) for a bench that reports documents/s; off for the tests.
      ...(options.durable === true
        ? []
        : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      '-c max_connections=200',
    ].join(' ');
    const started = run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      serverOptions,
      'start',
    ]);
    if (started.status === 0) {
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        rmSync(dir, { recursive: true, force: true });
      };
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, binDir, stop };
    }
    if (attempt >= 2) fail('pg_ctl start', started);
  }
}

let shared: Promise<{ url: string; binDir: string | undefined }> | undefined;

function sharedServer(binDir: string | undefined) {
  shared ??= (async () => {
    const url = process.env[ENV_URL];
    if (url) return { url, binDir };
    if (binDir === undefined) throw new Error('unreachable');
    const cluster = await startThrowawayCluster(binDir);
    process.once('exit', () => cluster.stop());
    return { url: cluster.url, binDir };
  })();
  return shared;
}

function psql(binDir: string | undefined, url: string, sql: string) {
  const command = binDir ? join(binDir, 'psql') : 'psql';
  const r = spawnSync(command, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`psql failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Returns the test PostgreSQL when there is one; otherwise skips (locally) or fails (CI=true). */
export async function requirePostgres(t: TestContext): Promise<TestPostgres | undefined> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined && !process.env[ENV_URL]) {
    const why = 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin (Debian package postgresql)';
    if (process.env['CI'] === 'true') throw new Error(`PostgreSQL is missing under CI=true: ${why}`);
    t.skip(`PostgreSQL not installed (${why})`);
    return undefined;
  }
  const server = await sharedServer(binDir);
  return {
    url: server.url,
    database() {
      const name = `t_${randomBytes(6).toString('hex')}`;
      psql(server.binDir, server.url, `CREATE DATABASE ${name}`);
      return withDatabase(server.url, name);
    },
  };
}

/**
 * `node --import tsx test/_support/postgres.ts start|stop DIR`: used by `.ci/run` to start one
 * cluster for the whole test run. `start` prints `URL DIR` on stdout.
 */
async function main(argv: string[]): Promise<number> {
  const [command, dir] = argv;
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    process.stderr.write('no PostgreSQL binaries under /usr/lib/postgresql/*/bin\n');
    return 1;
  }
  if (command === 'start') {
    const cluster = await startThrowawayCluster(binDir);
    process.stdout.write(`${cluster.url} ${cluster.dir}\n`);
    return 0;
  }
  if (command === 'stop' && dir) {
    const asRoot = process.getuid?.() === 0;
    const ctl = join(binDir, 'pg_ctl');
    const args = ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop'];
    spawnSync(asRoot ? 'runuser' : ctl, asRoot ? ['-u', 'postgres', '--', ctl, ...args] : args, { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
    return 0;
  }
  process.stderr.write('usage: postgres.ts start | stop DIR\n');
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
