import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import type { SandboxModule } from '../../../src/sandbox/module.ts';

export interface TestSandbox extends RunningSandbox {
  /** Closes the sandbox and removes its state directory. */
  dispose(): Promise<void>;
}

/**
 * Starts a sandbox with the given modules on ephemeral ports and the system clock (oidc-provider
 * works on real time). Dispose it in an `after` hook declared at the top level of the file.
 */
export async function startTestSandbox(modules: SandboxModule[]): Promise<TestSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-oauth-'));
  const sandbox = await startSandbox({ stateDir: join(dir, 'state'), modules });
  return Object.assign(Object.create(null) as object, sandbox, {
    async dispose() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  }) as TestSandbox;
}
