// Child process of bench/mss.ts: the sandbox's MSSanté module (PSC stub, IMAP and SMTP servers)
// apart from the clients measured, so that neither side's event loop slows the other. It mints
// long-lived tokens for the bench mailboxes (the stub's key) and sends them with the endpoints.
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/host.ts';
import { mssModule } from '../src/sandbox/mss/module.ts';
import { mintSandboxPscToken } from '../src/sandbox/psc/mint.ts';
import { DEFAULT_PSC_PROFESSIONALS } from '../src/sandbox/psc/professionals.ts';

const dir = process.argv[2];
if (!dir || !process.send) throw new Error('run by bench/mss.ts');
const sandbox = await startSandbox({
  stateDir: join(dir, 'state'),
  modules: [mssModule({ maxConnections: 100 })],
});
const issuer = sandbox.endpoints['mss.psc'] as string;
const tokens: Record<string, string> = {};
for (const p of DEFAULT_PSC_PROFESSIONALS)
  for (const m of p.mailboxes)
    tokens[m] = await mintSandboxPscToken({
      stateDir: sandbox.stateDir,
      issuer,
      rpps: p.rpps,
      expiresInSeconds: 3600,
    });
process.on('message', (m: string) => {
  if (m === 'stop') sandbox.close().then(() => process.exit(0));
});
process.send({ endpoints: sandbox.endpoints, ca: sandbox.pki.ca.certPem, tokens });
