/**
 * A sandbox with the ebox module alone, in its own process (so that its memory is measured
 * apart from the test's): `node --import tsx _child-sandbox.ts STATE_DIR`. Prints one JSON line
 * with the eBox SOAP endpoint once listening; closes when its stdin ends.
 */
import { eboxModule } from '../../../src/sandbox/ebox/module.ts';
import { startSandbox } from '../../../src/sandbox/host.ts';

const sandbox = await startSandbox({ stateDir: process.argv[2]!, modules: [eboxModule()] });
process.stdout.write(`${JSON.stringify({ soap: sandbox.endpoints['ebox.soap'] })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void sandbox.close().then(() => process.exit(0));
});
