/** Form data shared by the onboarding form tests (fictitious institution, documentation IPs). */
import type { EboxFormsData, FirewallFlowRow, FirewallFormData } from '../../../src/onboard/forms/index.ts';

export const NAT_IP = '198.51.100.7';

/** The platform's entry points (PROTOCOLS.md §1) as the onboarding would prefill them. */
export const FLOWS: readonly FirewallFlowRow[] = [
  [
    'test',
    'b2b-test.ksz-bcss.fgov.be',
    '85.91.184.96',
    [4520, 4522],
    'HTTPS TLS 1.2',
    'Services web SOAP, développement',
  ],
  [
    'acpt',
    'b2b-acpt.ksz-bcss.fgov.be',
    '85.91.184.103',
    [4520, 4522],
    'HTTPS TLS 1.2',
    'Services web SOAP, acceptation',
  ],
  [
    'prod',
    'b2b.ksz-bcss.fgov.be',
    '85.91.184.102',
    [4520, 4522],
    'HTTPS TLS 1.2',
    'Services web SOAP, production',
  ],
  [
    'test',
    'b2b-test.ksz-bcss.fgov.be',
    '85.91.184.96',
    4543,
    'HTTPS TLS 1.2',
    'API REST (services depuis 2024)',
  ],
  ['prod', 'stransferv2.extranetssz.be', '85.91.184.110', 22, 'SFTP', 'Échanges de fichiers batch'],
].map(([environment, name, ip, port, protocol, description]) => ({
  source: { name: 'srv-passerelle-01', internalIp: '10.20.30.40', natIp: NAT_IP, port: 'any' as const },
  destination: { name: name as string, ip: ip as string, port: port as number | number[] },
  protocol: protocol as string,
  description: description as string,
  environment: environment as FirewallFlowRow['environment'],
}));

export const FIREWALL: FirewallFormData = {
  action: 'open',
  requester: { name: 'Caisse d’allocations familiales Hénallux – Société coopérative', cbe: '0123.456.749' },
  description:
    'Projet « Passerelle » : accéder aux services web publiés par la BCSS (SOAP 4520/4522, REST 4543) ' +
    'et échanger des fichiers batch par SFTP.\nLes trois environnements sont demandés sur un seul formulaire.',
  desiredDate: '2027-01-15',
  contacts: {
    clientManager: { name: 'Anaïs Lefèvre', email: 'anais.lefevre@example.be', phone: '+32 2 555 01 23' },
    technicalLead: {
      name: 'Joëlle Van den Bossche',
      email: 'joelle.vdb@example.be',
      phone: '+32 2 555 01 24',
    },
  },
  operationsReference: 'EXPL-2027-0042',
  imputationCode: 'IMP-77',
  rows: FLOWS,
  note: 'Trafic dans le tunnel VPN ; port 4520 = WS, 4522 = WS avec MTOM.',
};

export const APP_URN = 'urn:be:fgov:hnlx:passerelle:allocations';

export const EBOX: EboxFormsData = {
  requestDate: '2027-01-04',
  environments: ['acpt', 'prod'],
  institution: {
    name: 'Caisse d’allocations familiales Hénallux',
    cbe: '0123456749',
    contacts: {
      business: { name: 'Anaïs Lefèvre', email: 'anais.lefevre@example.be', phone: '+32 2 555 01 23' },
      technical: { name: 'Joëlle Van den Bossche', email: 'joelle.vdb@example.be', phone: '+32 2 555 01 24' },
    },
  },
  applications: [
    {
      urn: APP_URN,
      name: 'Allocations familiales en ligne',
      description: 'Service en ligne où le citoyen demande ses attestations ; publie aussi les décisions.',
      onlineServiceUrl: 'https://www.example.be/allocations',
    },
    {
      urn: 'urn:be:fgov:hnlx:passerelle:batch',
      name: 'Publications batch',
      description: 'Courriers envoyés par l’institution sans demande préalable.',
      alreadyRegistered: true,
    },
  ],
  documentTypes: [
    {
      names: {
        fr: 'Accusé de réception de la demande',
        nl: 'Ontvangstbevestiging van de aanvraag',
        de: 'Empfangsbestätigung des Antrags',
        en: 'Acknowledgement of the request',
      },
      description: 'Confirme au citoyen que sa demande en ligne a été reçue.',
      application: APP_URN,
      trigger: 'citizen',
      retentionMonths: 24,
      volumePerYear: 12000,
    },
    {
      messageType: 'HNLX_DECISION_ALLOC',
      names: { fr: 'Décision d’octroi', nl: 'Toekenningsbeslissing', de: 'Gewährungsbescheid' },
      description: 'Décision sur le droit aux allocations, après examen du dossier.',
      application: APP_URN,
      trigger: 'institution',
      retentionMonths: 120,
    },
  ],
};
