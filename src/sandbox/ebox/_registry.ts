/** A sender (institution CBE, application URN) and the message types it may publish (level 2). */
export interface EboxSender {
  readonly institution: string;
  readonly application: string;
  readonly messageTypes: readonly string[];
}

/**
 * A citizen of the sandbox: `active` (has an eBox and opened it), `never-opened` (has an eBox,
 * never opened it: REST answers code NO_DIGITAL_USER), `none` (no eBox: hasAnEbox says false,
 * a publication is refused with error 90 [inferred]).
 */
export interface EboxCitizen {
  readonly inss: string;
  readonly name: string;
  readonly ebox: 'active' | 'never-opened' | 'none';
  /** Date (YYYY-MM-DD) of the last connection of an `active` citizen. */
  readonly lastConnection?: string;
  /** Whether the citizen chose the eBox as their only channel (hasAnEbox ExclusivelyEbox). */
  readonly exclusivelyEbox?: boolean;
}

export interface EboxRegistries {
  /** Level 1: the CBE numbers of the institutions allowed to call the service. */
  readonly institutions: readonly string[];
  /** Level 2: who may publish which message types. */
  readonly senders: readonly EboxSender[];
  readonly citizens: readonly EboxCitizen[];
}

/** The partner's message types the demo may publish. */
export const EBOX_AUTHORIZED_TYPES = Object.freeze(['PASSERELLE_PAYMENT_STATEMENT', 'PASSERELLE_DECISION']);
/** A message type that exists but that the partner may NOT publish (the demo's error 40). */
export const EBOX_UNAUTHORIZED_TYPE = 'PASSERELLE_TAX_ASSESSMENT';

/**
 * The demo registries for a partner (the sandbox partner by default): the partner's institution
 * allowed (level 1); the partner's application allowed to publish EBOX_AUTHORIZED_TYPES (level 2);
 * another institution's application owning EBOX_UNAUTHORIZED_TYPE; citizens with valid INSS
 * (check digits computed per PROTOCOLS.md §2): three active ones (born before 2000, born in 2000
 * or later, a BIS number), one who never opened their eBox, one without an eBox.
 */
export function defaultEboxRegistries(partner: { cbe: string; application: string }): EboxRegistries {
  return {
    institutions: [partner.cbe],
    senders: [
      {
        institution: partner.cbe,
        application: partner.application,
        messageTypes: [...EBOX_AUTHORIZED_TYPES],
      },
      {
        institution: '0200065765',
        application: 'urn:be:fgov:sandbox:other-institution:tax',
        messageTypes: [EBOX_UNAUTHORIZED_TYPE],
      },
    ],
    citizens: [
      { inss: '85073003328', name: 'Alice Martin', ebox: 'active', lastConnection: '2026-05-02' },
      {
        inss: '05031212360',
        name: 'Bram Peeters',
        ebox: 'active',
        lastConnection: '2026-06-01',
        exclusivelyEbox: true,
      },
      { inss: '91451545659', name: 'Chiara Rossi (BIS)', ebox: 'active', lastConnection: '2026-04-20' },
      { inss: '79010234597', name: 'David Dubois', ebox: 'never-opened' },
      { inss: '68052411150', name: 'Emma Janssens', ebox: 'none' },
    ],
  };
}
