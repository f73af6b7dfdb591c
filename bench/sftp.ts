// SFTP, end to end against OpenSSH's sshd (a throw-away one on a loopback port, as in the
// tests): upload and download of one BENCH_SFTP_BYTES file (default 1 GiB) with our client
// (passerelle/sftp: pipelined requests, BENCH_SFTP_CHUNK bytes each, BENCH_SFTP_INFLIGHT in
// flight) and with OpenSSH's `sftp -b` batch client, in the same run, same server, same cipher
// (aes128-gcm@openssh.com, what ssh2 picks first on AES-NI machines). Our side runs in its own
// child process (bundled with esbuild, plain node) so that its peak RSS is its own.
// Alone: `node --import tsx bench/sftp.ts`; quick: BENCH_SFTP_BYTES=134217728.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshKeygen, startSshd } from '../test/_support/sshd.ts';
import { randomFile, sha256File } from '../test/sftp/_fixture.ts';
import { bundleChild, nodeFlags, startChild } from './_children.ts';
import { type Bench, type BenchReport, runIfMain } from './_measure.ts';

const MiB = 1024 * 1024;
const LIMIT_RSS = 150 * 1000 * 1000;
const NODE_FLAGS = nodeFlags('BENCH_SFTP_NODE_FLAGS', '--max-semi-space-size=1');
const CIPHER = 'aes128-gcm@openssh.com';

interface ClientResult {
  seconds: number;
  cpuSeconds: number;
  sha256: string;
  maxRss: number;
}

async function openssh(args: string[], batch: string): Promise<number> {
  const start = process.hrtime.bigint();
  const p = spawn('sftp', ['-b', batch, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const [code] = (await once(p, 'exit')) as [number];
  if (code !== 0) throw new Error(`sftp -b failed (${code}): ${err}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const bench: Bench = {
  name: 'sftp',
  description:
    'SFTP upload + download of one large file against OpenSSH sshd: ours vs OpenSSH sftp (BENCH_SFTP_BYTES)',
  async run(report: BenchReport) {
    const size = Number(process.env['BENCH_SFTP_BYTES'] ?? 1024 * MiB);
    if (!Number.isSafeInteger(size) || size <= 0)
      throw new TypeError('BENCH_SFTP_BYTES must be a positive integer');
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-sftp-'));
    const cleanups: (() => unknown)[] = [];
    try {
      const sshd = await startSshd({ after: (fn) => cleanups.push(fn) });
      const key = sshKeygen(sshd.dir, 'id_bench');
      sshd.authorize(key.publicLine);
      const clientJs = await bundleChild('_sftp-client', ['ssh2', 'cpu-features']);
      const local = join(dir, 'upload.bin');
      const digest = await randomFile(local, size);
      const ours = async (mode: 'upload' | 'download', localFile: string, remoteFile: string) =>
        (
          await startChild<ClientResult>(
            clientJs,
            [
              mode,
              sshd.host,
              String(sshd.port),
              sshd.user,
              key.path,
              sshd.hostKey.fingerprint,
              localFile,
              remoteFile,
            ],
            NODE_FLAGS,
          )
        ).first;
      const sshArgs = [
        '-q',
        '-i',
        key.path,
        '-P',
        String(sshd.port),
        '-c',
        CIPHER,
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'BatchMode=yes',
        `${sshd.user}@127.0.0.1`,
      ];
      const batch = (name: string, line: string) => {
        const path = join(dir, name);
        writeFileSync(path, `${line}\n`);
        return path;
      };
      const remote = (name: string) => join(sshd.root, name);

      const sshUp = await openssh(sshArgs, batch('up.batch', `put ${local} openssh-up.bin`));
      const sshUpOk = (await sha256File(remote('openssh-up.bin'))) === digest;
      unlinkSync(remote('openssh-up.bin'));
      const up = await ours('upload', local, 'ours-up.bin');
      const upOk = (await sha256File(remote('ours-up.bin'))) === digest;
      const sshDown = await openssh(
        sshArgs,
        batch('down.batch', `get ours-up.bin ${join(dir, 'openssh-down.bin')}`),
      );
      const sshDownOk = (await sha256File(join(dir, 'openssh-down.bin'))) === digest;
      unlinkSync(join(dir, 'openssh-down.bin'));
      const down = await ours('download', join(dir, 'ours-down.bin'), 'ours-up.bin');
      const downOk = down.sha256 === digest && (await sha256File(join(dir, 'ours-down.bin'))) === digest;

      const rate = (s: number) =>
        `${s.toFixed(2).padStart(6)} s ${(size / MiB / s).toFixed(1).padStart(7)} MiB/s`;
      report.line(
        `file ${(size / MiB).toFixed(0)} MiB; cipher ${CIPHER}; ours: ${process.env['BENCH_SFTP_CHUNK'] ?? 131072} B x ${process.env['BENCH_SFTP_INFLIGHT'] ?? 32} requests in flight, plain node ${NODE_FLAGS.join(' ')}`,
      );
      report.line(`${'OpenSSH sftp -b put'.padEnd(32)}${rate(sshUp)}`);
      report.line(
        `${'ours upload'.padEnd(32)}${rate(up.seconds)}  ${(sshUp / up.seconds).toFixed(2)}x OpenSSH  CPU ${up.cpuSeconds.toFixed(2)} s`,
      );
      report.line(`${'OpenSSH sftp -b get'.padEnd(32)}${rate(sshDown)}`);
      report.line(
        `${'ours download (atomic, SHA-256)'.padEnd(32)}${rate(down.seconds)}  ${(sshDown / down.seconds).toFixed(2)}x OpenSSH  CPU ${down.cpuSeconds.toFixed(2)} s`,
      );
      const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
      report.line(
        `peak RSS of our client: upload ${mb(up.maxRss)}, download ${mb(down.maxRss)} (limit 150 MB)`,
      );
      report.line(
        `SHA-256: ours up ${upOk ? 'ok' : 'MISMATCH'}, down ${downOk ? 'ok' : 'MISMATCH'}; OpenSSH up ${sshUpOk ? 'ok' : 'MISMATCH'}, down ${sshDownOk ? 'ok' : 'MISMATCH'}`,
      );
      const v = (ours: number, theirs: number) => (theirs / ours >= 0.8 ? '>=' : '<');
      report.line(
        `verdict: memory ${Math.max(up.maxRss, down.maxRss) < LIMIT_RSS ? 'ok' : 'OVER'}, upload ${v(up.seconds, sshUp)} 0.8x OpenSSH, download ${v(down.seconds, sshDown)} 0.8x OpenSSH`,
      );
    } finally {
      for (const fn of cleanups.reverse()) await fn();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

await runIfMain(bench, import.meta.url);
