// Child process of bench/sftp.ts: one transfer with our client (passerelle/sftp), alone in its
// process (as one CLI call would be), so that its peak RSS and CPU time are its own.
// Args: upload|download host port user keyFile hostKeyFingerprint local remote.
import { connectSftp } from '../src/sftp/connect-sftp.ts';

const [mode, host, port, user, key, fingerprint, local, remote] = process.argv.slice(2);
if (!mode || !host || !port || !user || !key || !fingerprint || !local || !remote || !process.send)
  throw new Error('run by bench/sftp.ts');
const chunkSize = Number(process.env['BENCH_SFTP_CHUNK'] ?? 128 * 1024);
const requestsInFlight = Number(process.env['BENCH_SFTP_INFLIGHT'] ?? 32);
const session = await connectSftp({
  host,
  port: Number(port),
  username: user,
  privateKey: { file: key },
  hostKeys: [fingerprint],
  chunkSize,
  requestsInFlight,
});
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
let sha256 = '';
if (mode === 'upload') await session.upload(local, remote);
else sha256 = (await session.download(remote, local)).sha256;
const used = process.cpuUsage(cpu);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await session.close();
const maxRss = process.resourceUsage().maxRSS * 1024;
process.send({ seconds, cpuSeconds: (used.user + used.system) / 1e6, sha256, maxRss }, () => process.exit(0));
