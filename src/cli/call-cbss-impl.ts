import { testConnection } from '../services/cbss/test-connection.ts';
import { signerSummary, withServiceContext } from './call-session.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

export async function callTestConnection(ctx: CommandContext, opts: { echo: string }): Promise<number> {
  const { env, result } = await withServiceContext(ctx, async (services) => ({
    env: services.environment,
    result: await testConnection(services, opts.echo),
  }));
  const value = {
    ok: true,
    operation: 'cbss:test-connection',
    env,
    echo: result.echo,
    sslCertificate: result.sslCertificate ?? null,
    informationCBSS: result.informationCBSS ?? null,
    replySigner: signerSummary(result.replySigner),
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      `cbss:test-connection on ${env}: ok`,
      `  echo             ${result.echo}`,
      `  TLS certificate  ${result.sslCertificate ?? '(not reported)'}`,
      ...(result.informationCBSS
        ? [
            `  ticket           ${result.informationCBSS.ticketCBSS ?? '-'}`,
            `  received/replied ${result.informationCBSS.timestampReceive ?? '-'} / ${result.informationCBSS.timestampReply ?? '-'}`,
          ]
        : []),
      `  reply signed by  ${value.replySigner?.subject ?? '(unsigned reply)'}`,
    ].join('\n'),
  );
  return 0;
}
