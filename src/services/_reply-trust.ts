import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import type { ServiceContext } from './service-context.ts';

/** The certificates a signed reply must chain to; ERR_CONFIG_INVALID when none is configured. */
export function _replyTrust(ctx: ServiceContext): readonly X509Certificate[] {
  if (ctx.replyTrust.length === 0) {
    throw new PasserelleError(
      'ERR_CONFIG_INVALID',
      'No platform signing certificate is configured to verify the reply',
      {
        hint: `Set environments.${ctx.environment}.trust.platformSigning (the platform signing certificate or its CA).`,
        details: { env: ctx.environment },
      },
    );
  }
  return ctx.replyTrust;
}
