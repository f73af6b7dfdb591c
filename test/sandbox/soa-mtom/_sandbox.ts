import { join } from 'node:path';
import { FrozenClock } from '../../../src/clock.ts';
import { type ResolvedEnvironment, resolveEnvironment } from '../../../src/config/environment.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { MemoryLogger } from '../../../src/log.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import { type SoaMtomModuleOptions, soaMtomModule } from '../../../src/sandbox/soa-mtom/module.ts';
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
