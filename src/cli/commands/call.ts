import { CALL_SUBCOMMANDS } from './_call-registry.ts';
import type { RegisterCommand } from './_types.ts';

/**
 * `passerelle call <service>:<operation>`: one call of a platform service with the selected
 * environment's endpoints, credentials and trust (`--env`, `--config`), `--json` for scripts.
 * Subcommands come from `_call-registry.ts`.
 */
export const registerCall: RegisterCommand = (program, runner) => {
  const call = program
    .command('call')
    .description('Call a platform service (cbss:test-connection, ehealth:check-connection, ...)');
  for (const register of CALL_SUBCOMMANDS) register(call, runner);
};
