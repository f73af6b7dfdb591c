import { checkBrokeredAccessControl } from '../services/ehealth/check-brokered-access-control.ts';
import { createStsSession } from '../sts/create-sts-session.ts';
import { emitConsumerTest } from './call-ehealth-impl.ts';
import { withServiceContext } from './call-session.ts';
import type { CommandContext } from './context.ts';
import { configuredStateDir } from './sts-impl.ts';

/** `passerelle call ehealth:check-brokered-access`: token from the (persisted) cache or the STS, HOK-signed call. */
export async function callBrokeredAccess(ctx: CommandContext, opts: { message: string }): Promise<number> {
  const env = await ctx.environment();
  const stateDir = await configuredStateDir(ctx);
  let verified = true;
  const result = await withServiceContext(ctx, async (services) => {
    const session = await createStsSession(env, {
      clock: ctx.clock,
      processEnv: ctx.processEnv,
      transport: services.transport,
      ...(stateDir === undefined ? {} : { stateDir }),
    });
    verified = session.assertionVerified;
    try {
      return await checkBrokeredAccessControl(services, opts.message, {
        hok: { credential: session.credential, token: session.token },
      });
    } finally {
      await session.close();
    }
  });
  emitConsumerTest(ctx, 'ehealth:check-brokered-access', env.name, result, { verified });
  return 0;
}
