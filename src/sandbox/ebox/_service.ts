import type { X509Certificate } from 'node:crypto';
import { isValidCbe } from '../../pki/ids/cbe.ts';
import { isValidInss } from '../../pki/ids/inss.ts';
import { CBE_OU_PREFIX } from '../../pki/profiles.ts';
import { _EboxFault } from './_fault.ts';
import type { EboxCitizen, EboxRegistries } from './_registry.ts';
import type { _EboxStore } from './_store.ts';

/** Who publishes: the institution's CBE and the application's identifier (URN). */
export interface _Sender {
  readonly cbe: string;
  readonly application: string;
}

/**
 * The identity a signing certificate carries (PROTOCOLS.md §2): the CBE from the subject's
 * `OU=urn:be:fgov:kbo-bce:organization:cbe-number:<CBE>` and the application URN from its CN.
 * Undefined without that OU (or with an invalid CBE, or without a CN).
 */
export function _certificateSender(cert: X509Certificate): _Sender | undefined {
  let cbe: string | undefined;
  let application: string | undefined;
  for (const line of cert.subject.split('\n')) {
    if (line.startsWith(`OU=${CBE_OU_PREFIX}`)) cbe = line.slice(3 + CBE_OU_PREFIX.length);
    else if (line.startsWith('CN=')) application = line.slice(3);
  }
  if (cbe === undefined || !/^\d{10}$/.test(cbe) || !isValidCbe(cbe) || !application) return undefined;
  return { cbe, application };
}

/**
 * The eBox publication rules over the registries and the store, shared by SOAP and REST. Each
 * check throws the eBox answer (_EboxFault) with its precise reason.
 */
export class _EboxRules {
  readonly #registries: EboxRegistries;
  readonly #store: _EboxStore;

  constructor(registries: EboxRegistries, store: _EboxStore) {
    this.#registries = registries;
    this.#store = store;
  }

  /** Level 1: the institution may use the service, else SOA-01002. */
  level1(cert: X509Certificate): _Sender {
    const sender = _certificateSender(cert);
    if (sender === undefined)
      throw _EboxFault.system(
        'SOA-01002',
        'ERR_EBOX_CERT_NO_CBE',
        500,
        'no CBE OU in the certificate subject',
      );
    return this.institution(sender);
  }

  /** Level 1 for a sender known otherwise (the REST client's): its institution is registered. */
  institution(sender: _Sender): _Sender {
    if (!this.#registries.institutions.includes(sender.cbe))
      throw _EboxFault.system('SOA-01002', 'institution-not-allowed', 500, `institution ${sender.cbe}`);
    return sender;
  }

  /**
   * The sender of a publication: the certificate's, or SenderID when given. A SenderID of another
   * institution, or an application the certificate's institution does not hold: business error 20.
   */
  sender(cert: _Sender, senderId: { application: string; institution: string } | undefined): _Sender {
    if (senderId === undefined) return cert;
    const known = this.#registries.senders.some(
      (s) => s.institution === cert.cbe && s.application === senderId.application,
    );
    if (senderId.institution !== cert.cbe || (senderId.application !== cert.application && !known)) {
      throw _EboxFault.business(
        '20',
        `UAM denied: application ${cert.application} institution ${cert.cbe} is not mandatary for application ${senderId.application} institution ${senderId.institution}`,
        'ERR_EBOX_SENDER_MISMATCH',
      );
    }
    return { cbe: senderId.institution, application: senderId.application };
  }

  /** Level 2: the sender may publish this message type, else business error 40. */
  messageType(sender: _Sender, messageType: string): void {
    const allowed = this.#registries.senders.some(
      (s) =>
        s.institution === sender.cbe &&
        s.application === sender.application &&
        s.messageTypes.includes(messageType),
    );
    if (!allowed)
      throw _EboxFault.business(
        '40',
        `No authorization for message type ${messageType} application ${sender.application} institution ${sender.cbe}`,
        'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
      );
  }

  /** A citizen who can receive messages, else business error 90 (invalid recipient). */
  recipient(inss: string): EboxCitizen {
    const invalid = (why: string, reason: string) =>
      _EboxFault.business('90', `Invalid recipient: ${why}`, reason);
    if (!isValidInss(inss) || !/^\d{11}$/.test(inss))
      throw invalid('the INSS is not valid (check digits)', 'ERR_IDS_INSS_INVALID');
    const citizen = this.citizen(inss);
    if (citizen === undefined) throw invalid('no citizen with this INSS', 'unknown-citizen');
    if (citizen.ebox === 'none') throw invalid('the citizen has no eBox', 'no-ebox');
    return citizen;
  }

  citizen(inss: string): EboxCitizen | undefined {
    return this.#registries.citizens.find((c) => c.inss === inss);
  }

  /** Whether the citizen has ever opened their eBox (registry, or a document read in the sandbox). */
  opened(citizen: EboxCitizen): boolean {
    return citizen.ebox === 'active' || this.#store.openedAt(citizen.inss) !== undefined;
  }

  /** The citizen's last connection date (YYYY-MM-DD), when known. */
  lastConnection(citizen: EboxCitizen): string | undefined {
    return this.#store.openedAt(citizen.inss)?.slice(0, 10) ?? citizen.lastConnection;
  }
}
