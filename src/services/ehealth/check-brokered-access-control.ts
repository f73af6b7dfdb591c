import type { Credential } from '../../pki/credential.ts';
import type { HokToken } from '../../wss/hok-token.ts';
import { signHokEnvelope } from '../../wss/sign-hok.ts';
import type { ServiceContext } from '../service-context.ts';
import { _consumerTestCall, type ConsumerTestOptions, type ConsumerTestResult } from './consumer-test.ts';

/** The holder-of-key side of a brokered call: the key that signs and where its token comes from. */
export interface HokSigner {
  /** The holder-of-key credential (its certificate is the assertion's confirmation key). */
  readonly credential: Credential;
  /** A usable token (e.g. `StsSession.token`, or `StsTokenCache.get`): called once per attempt. */
  token(): Promise<HokToken | { readonly token: HokToken }>;
}

export interface CheckBrokeredAccessControlOptions extends ConsumerTestOptions {
  readonly hok: HokSigner;
}

/**
 * PlatformIntegrationConsumerTest `checkBrokeredAccessControl` (PROTOCOLS.md §4-5): the body
 * `CheckBrokeredAccessControlRequest {Message, Timestamp}` is built on the DOM, then signed with
 * the SAML 1.1 holder-of-key profile (signHokEnvelope: the cached STS assertion byte-exact,
 * Timestamp, signature over Body and Timestamp with the holder-of-key key), each attempt with a
 * fresh Timestamp, and posted with soapCall. Returns the echo and AuthenticatedConsumer; the
 * signed reply is verified against `trust.platformSigning`. A refused token is the SOA-01001
 * fault (ERR_SOAP_FAULT).
 */
export function checkBrokeredAccessControl(
  ctx: ServiceContext,
  message: string,
  options: CheckBrokeredAccessControlOptions,
): Promise<ConsumerTestResult> {
  const { hok, ...rest } = options;
  if (!hok?.credential || typeof hok.token !== 'function')
    throw new TypeError('checkBrokeredAccessControl: `hok` is required');
  return _consumerTestCall(
    ctx,
    'checkBrokeredAccessControl',
    message,
    {
      sign: async (envelope) => {
        const got = await hok.token();
        const token = 'token' in got ? got.token : got;
        return signHokEnvelope(envelope, {
          token,
          credential: hok.credential,
          clock: ctx.clock,
          ttlSeconds: ctx.ttlSeconds,
          inclusiveNamespaces: ctx.inclusiveNamespaces,
        });
      },
    },
    rest,
  );
}
