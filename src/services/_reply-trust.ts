import { PasserelleError } from '../errors.ts';
import { hasTrust, type TrustAnchors } from '../pki/trust.ts';
import type { ServiceContext } from './service-context.ts';

/** Who may sign a reply (pins and CAs); ERR_CONFIG_TRUST_MISSING when nothing is configured. */
export function _replyTrust(ctx: ServiceContext): TrustAnchors {
  if (!hasTrust(ctx.replyTrust)) {
    throw new PasserelleError(
      'ERR_CONFIG_TRUST_MISSING',
      `No platform signing trust is configured to verify the reply (environments.${ctx.environment}.trust.platformSigning)`,
      {
        hint: `Set environments.${ctx.environment}.trust.platformSigning to [{ pin: FILE }] (the platform's signing certificate alone) or [{ ca: FILE }] (its issuing CA).`,
        details: { env: ctx.environment, setting: `environments.${ctx.environment}.trust.platformSigning` },
      },
    );
  }
  return ctx.replyTrust;
}
