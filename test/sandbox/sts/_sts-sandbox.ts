import { join } from 'node:path';
import { FrozenClock } from '../../../src/clock.ts';
import { MemoryLogger } from '../../../src/log.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import type { SandboxModule } from '../../../src/sandbox/module.ts';
import { type StsModuleOptions, stsModule } from '../../../src/sandbox/sts/module.ts';
import { createTransport } from '../../../src/transport/create-transport.ts';
import type { Transport } from '../../../src/transport/types.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';

export interface StsSandbox {
  readonly sandbox: RunningSandbox;
  readonly clock: FrozenClock;
  readonly log: MemoryLogger;
  /** Mutual TLS with the partner's TLS credential, trusting the sandbox CA. */
  readonly transport: Transport;
  readonly url: string;
  stats(): Readonly<Record<string, number>>;
}

/** A sandbox with the sts module (plus `extra` modules), frozen clock, ephemeral ports, fresh state. */
export async function startStsSandbox(
  t: { after: (fn: () => void | Promise<void>) => void },
  options: StsModuleOptions = {},
  extra: readonly SandboxModule[] = [],
): Promise<StsSandbox> {
  const clock = new FrozenClock(TEST_NOW);
  const log = new MemoryLogger();
  const stateDir = join(tempDir(t, 'passerelle-sts-'), 'state');
  const sandbox = await startSandbox({ stateDir, clock, log, modules: [stsModule(options), ...extra] });
  const transport = createTransport({
    credential: sandbox.pki.partner.tls,
    ca: [sandbox.pki.ca.certificate],
  });
  t.after(async () => {
    await transport.close();
    await sandbox.close();
  });
  return {
    sandbox,
    clock,
    log,
    transport,
    url: sandbox.endpoints['ehealth.sts']!,
    stats: () => sandbox.modules['sts']?.stats?.() ?? {},
  };
}
