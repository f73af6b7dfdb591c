import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.ts';
import { createHttpClient } from '../../../src/oauth/create-http-client.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import type { SandboxModule } from '../../../src/sandbox/module.ts';
import { captureIo } from '../../_support/tmp.ts';

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

/** Runs the CLI against `sandbox` (its config, env `sandbox`), capturing output. */
export async function runCli(sandbox: TestSandbox, ...args: string[]) {
  const cap = captureIo();
  const status = await main(
    ['node', 'passerelle', '--config', sandbox.configPath, '--env', 'sandbox', ...args],
    { io: cap.io, cwd: sandbox.stateDir, env: {} },
  );
  return { status, stdout: cap.stdout, stderr: cap.stderr };
}

/** Switches the sandbox REST health state (UP, DEGRADED, DOWN) through its control endpoint. */
export async function setRestHealth(sandbox: TestSandbox, status: string): Promise<void> {
  const h = createHttpClient({ ca: sandbox.pki.ca.certPem, credential: sandbox.pki.partner.tls });
  try {
    await h.request(sandbox.endpoints['rest.control'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });
  } finally {
    await h.close();
  }
}
