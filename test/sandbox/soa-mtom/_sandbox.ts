import { join } from 'node:path';
import { FrozenClock } from '../../../src/clock.ts';
import { type ResolvedEnvironment, resolveEnvironment } from '../../../src/config/environment.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { MemoryLogger } from '../../../src/log.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import { type SoaMtomModuleOptions, soaMtomModule } from '../../../src/sandbox/soa-mtom/module.ts';
import { MTOM_TEST } from '../../../src/services/mtom/index.ts';
import { buildEnvelope } from '../../../src/soap/build-envelope.ts';
import { appendXopInclude } from '../../../src/soap/mtom/index.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';

/** A sandbox with the soa-mtom module alone (ephemeral ports, frozen clock), and env `sandbox` of its client config. */
export async function startMtomSandbox(
  t: { after: (fn: () => void | Promise<void>) => void },
  options: SoaMtomModuleOptions = {},
): Promise<{
  sandbox: RunningSandbox;
  clock: FrozenClock;
  log: MemoryLogger;
  environment: ResolvedEnvironment;
  dir: string;
}> {
  const clock = new FrozenClock(TEST_NOW);
  const log = new MemoryLogger();
  const dir = tempDir(t, 'passerelle-mtom-');
  const sandbox = await startSandbox({
    stateDir: join(dir, 'state'),
    clock,
    log,
    modules: [soaMtomModule(options)],
  });
  t.after(() => sandbox.close());
  const loaded = await loadConfig({ path: sandbox.configPath, env: {} });
  return { sandbox, clock, log, environment: resolveEnvironment(loaded, 'sandbox', {}), dir };
}

/** An unsigned UploadRequest envelope whose one Document includes the attachment `contentId`. */
export function uploadRequest(contentId: string): string {
  return buildEnvelope({
    header: () => [],
    body: (doc) => {
      const r = doc.createElementNS(MTOM_TEST.ns, 'm:UploadRequest');
      const d = doc.createElementNS(MTOM_TEST.ns, 'm:Document');
      r.appendChild(d);
      appendXopInclude(d, contentId);
      return r;
    },
  });
}
