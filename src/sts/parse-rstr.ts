import type { X509Certificate } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import { hasTrust, type Trust } from '../pki/trust.ts';
import { SAML1 } from '../saml/constants.ts';
import { readAssertion } from '../saml/read-assertion.ts';
import { verifyAssertion } from '../saml/verify-assertion.ts';
import { attributeValue, childElements, isNamed, textOnly } from '../xml/dom.ts';
import { inheritedNamespaces } from '../xml/inherited-namespaces.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';
import { rawElementText } from './_raw-element.ts';
import { WST } from './constants.ts';
import type { StsToken } from './types.ts';

export type RstrResult =
  | { readonly kind: 'token'; readonly token: StsToken; readonly context: string | undefined }
  | { readonly kind: 'challenge'; readonly context: string | undefined; readonly challenge: string };

export interface ParseRstrOptions {
  /** The holder-of-key certificate of the request: the assertion must confirm it. */
  readonly holder: X509Certificate;
  readonly claims: readonly string[];
  /**
   * Who may issue assertions (pinned STS certificates and/or CAs): the assertion's signature,
   * signer validity and Conditions are verified on receipt. Required unless
   * `insecureUnverifiedAssertion` is set.
   */
  readonly stsTrust?: Trust;
  /** INSECURE: accept the assertion without verifying it (only its shape is read). */
  readonly insecureUnverifiedAssertion?: boolean;
  readonly clock?: Clock;
}

/** Exactly one of `stsTrust` and `insecureUnverifiedAssertion: true`, else a TypeError naming `name`. */
export function _checkStsTrustOptions(
  o: { readonly stsTrust?: unknown; readonly insecureUnverifiedAssertion?: unknown },
  name: string,
): void {
  const optOut = o.insecureUnverifiedAssertion === true;
  if (o.insecureUnverifiedAssertion !== undefined && typeof o.insecureUnverifiedAssertion !== 'boolean')
    throw new TypeError(`${name}: \`insecureUnverifiedAssertion\` is a boolean`);
  if (o.stsTrust !== undefined && !hasTrust(o.stsTrust))
    throw new TypeError(`${name}: \`stsTrust\` must name at least one certificate`);
  if (o.stsTrust === undefined && !optOut)
    throw new TypeError(
      `${name}: \`stsTrust\` is required to verify the issued assertion (or set \`insecureUnverifiedAssertion: true\`)`,
    );
  if (o.stsTrust !== undefined && optOut)
    throw new TypeError(`${name}: give \`stsTrust\` or \`insecureUnverifiedAssertion\`, not both`);
}

function invalid(message: string, cause?: unknown): never {
  throw new PasserelleError('ERR_STS_RESPONSE_INVALID', message, {
    hint: 'The STS answered something that is not a WS-Trust response with one SAML 1.1 assertion.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function text(el: Element | undefined): string {
  return (el ? textOnly(el) : undefined)?.trim() ?? '';
}

function stsFault(fault: Element): never {
  const code = text(childElements(fault).find((c) => c.localName === 'faultcode'));
  const message = text(childElements(fault).find((c) => c.localName === 'faultstring'));
  throw new PasserelleError(
    'ERR_STS_FAULT',
    `The STS refused the request: ${code || 'fault'}${message ? ` (${message.slice(0, 200)})` : ''}`,
    {
      hint: code.endsWith('FailedAuthentication')
        ? 'Check the holder-of-key certificate: it must be registered at the platform and sign the request.'
        : 'Check the requested claims and the request format.',
      details: { faultcode: code.slice(0, 120), faultstring: message.slice(0, 200) },
    },
  );
}

/**
 * Parses the STS reply (SOAP 1.1): a Fault → ERR_STS_FAULT; a RequestSecurityTokenResponse (alone
 * or as the only one of a Collection) holding a SignChallenge → the challenge; or one holding
 * RequestedSecurityToken with exactly one SAML 1.1 Assertion → the token, whose `assertionXml` is
 * the assertion's exact text cut from `source` by offsets (the one deliberate string operation
 * on XML in this toolkit: the assertion must travel byte-exact). The assertion must confirm
 * `holder` and is verified against `stsTrust` (verifyAssertion: ERR_SAML_*, ERR_WSS_*), unless
 * the caller opted out with `insecureUnverifiedAssertion`. Anything else is
 * ERR_STS_RESPONSE_INVALID. Neither or both of those options: TypeError.
 */
export function parseRstr(source: string, options: ParseRstrOptions): RstrResult {
  _checkStsTrustOptions(options, 'parseRstr');
  const text0 = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const doc = parseXml(text0);
  const envelope = doc.documentElement!;
  const [first, second] = childElements(envelope);
  const body = isNamed(second, NS.soapenv, 'Body')
    ? second
    : isNamed(first, NS.soapenv, 'Body')
      ? first
      : undefined;
  if (!isNamed(envelope, NS.soapenv, 'Envelope') || !body)
    return invalid('The STS reply is not a SOAP 1.1 envelope');
  const [payload, ...extra] = childElements(body);
  if (isNamed(payload, NS.soapenv, 'Fault')) stsFault(payload);
  let rstr: Element | undefined = payload;
  if (isNamed(payload, WST.ns, 'RequestSecurityTokenResponseCollection')) {
    const inner = childElements(payload);
    if (inner.length !== 1) invalid('The response collection must hold exactly one response');
    rstr = inner[0];
  }
  if (extra.length > 0 || !isNamed(rstr, WST.ns, 'RequestSecurityTokenResponse'))
    invalid('The Body holds no single wst:RequestSecurityTokenResponse');
  const context = attributeValue(rstr, null, 'Context');
  const challenge = childElements(rstr, WST.ns, 'SignChallenge');
  if (challenge.length > 0) {
    const c = challenge.length === 1 ? childElements(challenge[0]!, WST.ns, 'Challenge') : [];
    if (c.length !== 1 || text(c[0]) === '')
      invalid('A SignChallenge must hold exactly one non-empty wst:Challenge');
    return { kind: 'challenge', context, challenge: text(c[0]) };
  }
  const tokenType = childElements(rstr, WST.ns, 'TokenType')[0];
  if (tokenType && text(tokenType) !== WST.tokenTypeSaml11)
    invalid('The STS issued another token type than SAML 1.1');
  const requested = childElements(rstr, WST.ns, 'RequestedSecurityToken');
  const tokens = requested.length === 1 ? childElements(requested[0]!) : [];
  if (tokens.length !== 1 || !isNamed(tokens[0], SAML1.ns, 'Assertion'))
    invalid('RequestedSecurityToken must hold exactly one SAML 1.1 Assertion');
  const assertion = tokens[0]!;
  const info =
    options.stsTrust !== undefined
      ? verifyAssertion(assertion, {
          stsTrust: options.stsTrust,
          ...(options.clock ? { clock: options.clock } : {}),
        })
      : wrapInvalid(() => readAssertion(assertion));
  if (!info.confirmationCertificate.raw.equals(options.holder.raw)) {
    throw new PasserelleError(
      'ERR_SAML_KEY_MISMATCH',
      'The issued assertion does not confirm the holder-of-key certificate of the request',
    );
  }
  let assertionXml: string;
  try {
    assertionXml = rawElementText(text0, assertion);
  } catch (cause) {
    return invalid('The assertion text could not be located in the reply', cause);
  }
  return {
    kind: 'token',
    context,
    token: {
      assertionXml,
      assertionId: info.assertionId,
      inheritedNamespaces: inheritedNamespaces(assertion),
      issuer: info.issuer,
      subject: info.subject,
      notBefore: info.conditions.notBefore,
      notOnOrAfter: info.conditions.notOnOrAfter,
      holderFingerprint256: options.holder.fingerprint256,
      claims: [...options.claims],
    },
  };
}

function wrapInvalid<T>(fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (isPasserelleError(cause, 'ERR_SAML_INVALID'))
      return invalid(`The issued assertion is malformed: ${cause.message}`, cause);
    throw cause;
  }
}
