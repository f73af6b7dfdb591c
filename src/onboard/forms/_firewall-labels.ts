/** The firewall-flow form's labels in French (the seed's language), Dutch and English. */
import type { FormLanguage } from './_fields.ts';

/** The environment of a flow; 'all' for a destination serving every environment (the SFTP server). */
export type FirewallEnvironment = 'test' | 'acpt' | 'prod' | 'all';

export interface FirewallLabels {
  readonly title: string;
  readonly sendTo: string;
  readonly action: string;
  readonly open: string;
  readonly close: string;
  readonly requester: string;
  readonly cbe: string;
  readonly granting: string;
  readonly grantingFootnote: string;
  readonly description: string;
  readonly references: string;
  readonly desiredDate: string;
  readonly clientManager: string;
  readonly technicalLead: string;
  readonly operationsReference: string;
  readonly imputationCode: string;
  readonly flows: (from: number, to: number, of: number) => string;
  readonly source: string;
  readonly destination: string;
  readonly name: string;
  readonly ipInternal: string;
  readonly ipNat: string;
  readonly ip: string;
  readonly port: string;
  readonly protocol: string;
  readonly environment: string;
  readonly rowDescription: string;
  readonly environments: Readonly<Record<FirewallEnvironment, string>>;
  readonly notes: string;
  readonly platformNote: (groups: string) => string;
  readonly signatures: string;
  readonly securityAdviser: string;
  readonly technicalResponsible: string;
  readonly date: string;
  readonly email: string;
  readonly signature: string;
  readonly reminder: string;
  readonly page: string;
}

const FR: FirewallLabels = {
  title: "Formulaire d'ouverture de flux",
  sendTo: 'Formulaire signé à envoyer à',
  action: 'Action',
  open: 'Ouverture',
  close: 'Fermeture',
  requester: 'Institution demanderesse',
  cbe: 'Numéro BCE',
  granting: "Institution qui donne l'accès",
  grantingFootnote:
    "L'institution qui donne l'accès est celle qui ouvre ses systèmes ou ses données ; Smals n'en est jamais le propriétaire.",
  description: "Description de l'application / du projet et motivation de l'ouverture des flux",
  references: 'Références',
  desiredDate: 'Date de réalisation souhaitée',
  clientManager: 'Gestionnaire client',
  technicalLead: 'Chef de projet technique',
  operationsReference: 'Référence dossier exploitation',
  imputationCode: "Code d'imputation",
  flows: (from, to, of) => `Flux demandés ${from}–${to} sur ${of}`,
  source: 'Source',
  destination: 'Destination',
  name: 'Nom',
  ipInternal: 'IP (interne)',
  ipNat: 'IP (NAT)',
  ip: 'IP',
  port: 'Port',
  protocol: 'Protocole',
  environment: 'Environnement',
  rowDescription: 'Description',
  environments: { test: 'développement (test)', acpt: 'acceptation', prod: 'production', all: 'tous' },
  notes: 'Nota(s)',
  platformNote: (groups) => `Ajouter l'adresse IP source à la règle du groupe ${groups}.`,
  signatures: 'Signatures',
  securityAdviser: 'Conseiller en sécurité ou son adjoint',
  technicalResponsible: 'Responsable technique',
  date: 'Date',
  email: 'E-mail',
  signature: 'Signature',
  reminder: "Pour rappel : Smals n'est pas l'institution qui donne l'accès.",
  page: 'Page',
};

const NL: FirewallLabels = {
  title: 'Formulier voor het openen van flows',
  sendTo: 'Ondertekend formulier te sturen naar',
  action: 'Actie',
  open: 'Opening',
  close: 'Sluiten',
  requester: 'Aanvragende instelling',
  cbe: 'KBO-nummer',
  granting: 'Instelling die de toegang verleent',
  grantingFootnote:
    'De instelling die de toegang verleent is die welke haar systemen of gegevens openstelt; Smals is daar nooit de eigenaar van.',
  description: 'Beschrijving van de toepassing / het project en motivering van de opening van de stromen',
  references: 'Referenties',
  desiredDate: 'Gewenste uitvoeringsdatum',
  clientManager: 'Klantbeheerder',
  technicalLead: 'Technische projectleider',
  operationsReference: 'Referentie exploitatiedossier',
  imputationCode: 'Imputatiecode',
  flows: (from, to, of) => `Gevraagde stromen ${from}–${to} van ${of}`,
  source: 'Bron',
  destination: 'Bestemming',
  name: 'Naam',
  ipInternal: 'IP (intern)',
  ipNat: 'IP (NAT)',
  ip: 'IP',
  port: 'Poort',
  protocol: 'Protocol',
  environment: 'Omgeving',
  rowDescription: 'Beschrijving',
  environments: { test: 'ontwikkeling (test)', acpt: 'acceptatie', prod: 'productie', all: 'alle' },
  notes: "Nota('s)",
  platformNote: (groups) => `Het bron-IP-adres toevoegen aan de regel van de groep ${groups}.`,
  signatures: 'Handtekeningen',
  securityAdviser: 'Veiligheidsconsulent of zijn adjunct',
  technicalResponsible: 'Technisch verantwoordelijke',
  date: 'Datum',
  email: 'E-mail',
  signature: 'Handtekening',
  reminder: 'Ter herinnering: Smals is niet de instelling die de toegang verleent.',
  page: 'Pagina',
};

const EN: FirewallLabels = {
  title: 'Firewall flow opening form',
  sendTo: 'Send the signed form to',
  action: 'Action',
  open: 'Open',
  close: 'Close',
  requester: 'Requesting institution',
  cbe: 'CBE number',
  granting: 'Institution granting access',
  grantingFootnote:
    'The institution granting access is the one opening its systems or data; Smals never owns them.',
  description: 'Description of the application / project and motivation for the flows',
  references: 'References',
  desiredDate: 'Desired date',
  clientManager: 'Client manager',
  technicalLead: 'Technical project lead',
  operationsReference: 'Operations file reference',
  imputationCode: 'Imputation code',
  flows: (from, to, of) => `Requested flows ${from}–${to} of ${of}`,
  source: 'Source',
  destination: 'Destination',
  name: 'Name',
  ipInternal: 'IP (internal)',
  ipNat: 'IP (NAT)',
  ip: 'IP',
  port: 'Port',
  protocol: 'Protocol',
  environment: 'Environment',
  rowDescription: 'Description',
  environments: { test: 'test (development)', acpt: 'acceptance', prod: 'production', all: 'all' },
  notes: 'Note(s)',
  platformNote: (groups) => `Add the source IP address to the ${groups} group rule.`,
  signatures: 'Signatures',
  securityAdviser: 'Security adviser or deputy',
  technicalResponsible: 'Technical responsible',
  date: 'Date',
  email: 'E-mail',
  signature: 'Signature',
  reminder: 'Reminder: Smals is not the institution granting access.',
  page: 'Page',
};

export const FIREWALL_LABELS: Readonly<Record<FormLanguage, FirewallLabels>> = { fr: FR, nl: NL, en: EN };

/** The platform's customer group of each environment (PROTOCOLS.md §10). */
export const CUSTOMER_GROUPS: Readonly<Record<Exclude<FirewallEnvironment, 'all'>, string>> = {
  test: 'TEST-CUSTOMER',
  acpt: 'ACPT-CUSTOMER',
  prod: 'PROD-CUSTOMER',
};
