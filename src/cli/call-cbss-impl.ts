import { testConnection } from '../services/cbss/test-connection.ts';
import { signerSummary, withServiceContext } from './call-session.ts';
import type { CommandContext } from './context.ts';
import { emit, isoTime } from './output.ts';

export async function callTestConnection(ctx: CommandContext, opts: { echo: string }): Promise<number> {
  const { env, result } = await withServiceContext(ctx, async (services) => ({
    env: services.environment,
    result: await testConnection(services, opts.echo),
  }));
  const info = result.informationCBSS;
  const value = {
    operation: 'cbss:test-connection',
    env,
    echo: result.echo,
    sslCertificate: result.sslCertificate ?? null,
    informationCBSS: info
      ? {
          ...info,
          timestampReceive: isoTime(info.timestampReceive) ?? null,
          timestampReply: isoTime(info.timestampReply) ?? null,
        }
      : null,
    replySigner: signerSummary(result.replySigner),
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      `cbss:test-connection on ${env}: ok`,
      `  echo             ${result.echo}`,
      `  TLS certificate  ${result.sslCertificate ?? '(not reported)'}`,
      ...(value.informationCBSS
        ? [
            `  ticket           ${value.informationCBSS.ticketCBSS ?? '-'}`,
            `  received/replied ${value.informationCBSS.timestampReceive ?? '-'} / ${value.informationCBSS.timestampReply ?? '-'}`,
          ]
        : []),
      `  reply signed by  ${value.replySigner?.subject ?? '(unsigned reply)'}`,
    ].join('\n'),
  );
  return 0;
}
