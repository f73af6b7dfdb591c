// Child process of bench/mtom.ts: the sandbox with its soa-mtom module alone. Runs apart so
// that its peak RSS and CPU time are its own; answers "usage" with them, "stop" by closing. It
// also writes the TLS server key, certificate and CA to files for the raw HTTPS baseline peer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/host.ts';
import { soaMtomModule } from '../src/sandbox/soa-mtom/module.ts';

const dir = process.argv[2];
if (!dir || !process.send) throw new Error('run by bench/mtom.ts');
const sandbox = await startSandbox({ stateDir: join(dir, 'state'), modules: [soaMtomModule()] });
const tls = { key: join(dir, 'raw-key.pem'), cert: join(dir, 'raw-cert.pem'), ca: join(dir, 'raw-ca.pem') };
writeFileSync(tls.key, sandbox.pki.server.keyPem, { mode: 0o600 });
writeFileSync(tls.cert, sandbox.pki.server.certPem);
writeFileSync(tls.ca, sandbox.pki.ca.certificate.toString());
/** Peak RSS so far, and CPU seconds (user + system) used so far. */
const usage = () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  return { maxRss: maxRSS * 1024, cpuSeconds: (userCPUTime + systemCPUTime) / 1e6 };
};
process.on('message', (m: string) => {
  if (m === 'usage') process.send?.(usage());
  if (m === 'stop') sandbox.close().then(() => process.exit(0));
});
process.send({ configPath: sandbox.configPath, tls });
