/** The eBox request forms' labels in French (the seed's language), Dutch and English. */
import type { FormLanguage } from './_fields.ts';

export type EboxEnvironment = 'acpt' | 'prod';
/** What causes a publication (seed 003 §0): a citizen's action in an online service, or the institution itself. */
export type EboxTrigger = 'citizen' | 'institution';

export interface EboxLabels {
  readonly title: string;
  readonly subtitle: string;
  readonly sendTo: string;
  readonly requestDate: string;
  readonly environments: string;
  readonly environment: Readonly<Record<EboxEnvironment, string>>;
  readonly institutionSection: string;
  readonly institutionName: string;
  readonly cbe: string;
  readonly registered: string;
  readonly yes: string;
  readonly no: string;
  readonly businessContact: string;
  readonly technicalContact: string;
  readonly applicationSection: string;
  readonly urn: string;
  readonly name: string;
  readonly description: string;
  readonly onlineService: string;
  readonly known: string;
  readonly certificateSection: string;
  readonly application: string;
  readonly subject: string;
  readonly documentSection: string;
  readonly messageType: string;
  readonly nameIn: (language: string) => string;
  readonly trigger: string;
  readonly triggers: Readonly<Record<EboxTrigger, string>>;
  readonly retention: string;
  readonly volume: string;
  readonly toBeAssigned: string;
  readonly page: string;
}

const FR: EboxLabels = {
  title: 'eBox Citoyen – Fiche de demande',
  subtitle: "Enregistrement de l'émetteur : institution, application(s) et type(s) de document",
  sendTo: 'Fiche complétée à envoyer à',
  requestDate: 'Date de la demande',
  environments: 'Environnements',
  environment: { acpt: 'acceptation', prod: 'production' },
  institutionSection: "1. Identification de l'institution",
  institutionName: "Nom de l'institution",
  cbe: 'Numéro BCE',
  registered: 'Déjà enregistrée comme émetteur',
  yes: 'Oui',
  no: 'Non',
  businessContact: 'Contact métier',
  technicalContact: 'Contact technique',
  applicationSection: "2. Identification de l'application",
  urn: "URN de l'application",
  name: 'Nom',
  description: 'Description',
  onlineService: 'Service en ligne',
  known: 'Déjà connue',
  certificateSection: 'Sujet du certificat de signature (un certificat par environnement)',
  application: 'Application',
  subject: 'Sujet (DN)',
  documentSection: '3. Identification des types de document',
  messageType: 'Type de message',
  nameIn: (language) => `Nom ${language}`,
  trigger: 'Origine',
  triggers: { citizen: 'demande du citoyen', institution: "initiative de l'institution" },
  retention: 'Conservation (mois)',
  volume: 'Volume / an',
  toBeAssigned: 'à attribuer',
  page: 'Page',
};

const NL: EboxLabels = {
  title: 'eBox Burger – Aanvraagformulier',
  subtitle: 'Registratie van de afzender: instelling, toepassing(en) en documenttype(s)',
  sendTo: 'Ingevuld formulier te sturen naar',
  requestDate: 'Datum van de aanvraag',
  environments: 'Omgevingen',
  environment: { acpt: 'acceptatie', prod: 'productie' },
  institutionSection: '1. Identificatie van de instelling',
  institutionName: 'Naam van de instelling',
  cbe: 'KBO-nummer',
  registered: 'Reeds geregistreerd als afzender',
  yes: 'Ja',
  no: 'Nee',
  businessContact: 'Functioneel contactpersoon',
  technicalContact: 'Technisch contactpersoon',
  applicationSection: '2. Identificatie van de toepassing',
  urn: 'URN van de toepassing',
  name: 'Naam',
  description: 'Beschrijving',
  onlineService: 'Onlinedienst',
  known: 'Reeds gekend',
  certificateSection: 'Onderwerp van het ondertekeningscertificaat (één certificaat per omgeving)',
  application: 'Toepassing',
  subject: 'Onderwerp (DN)',
  documentSection: '3. Identificatie van de documenttypes',
  messageType: 'Berichttype',
  nameIn: (language) => `Naam ${language}`,
  trigger: 'Aanleiding',
  triggers: { citizen: 'vraag van de burger', institution: 'initiatief van de instelling' },
  retention: 'Bewaring (maanden)',
  volume: 'Volume / jaar',
  toBeAssigned: 'toe te kennen',
  page: 'Pagina',
};

const EN: EboxLabels = {
  title: 'Citizen eBox – Request form',
  subtitle: 'Sender registration: institution, application(s) and document type(s)',
  sendTo: 'Send the completed form to',
  requestDate: 'Request date',
  environments: 'Environments',
  environment: { acpt: 'acceptance', prod: 'production' },
  institutionSection: '1. Institution',
  institutionName: 'Institution name',
  cbe: 'CBE number',
  registered: 'Already registered as a sender',
  yes: 'Yes',
  no: 'No',
  businessContact: 'Business contact',
  technicalContact: 'Technical contact',
  applicationSection: '2. Application(s)',
  urn: 'Application URN',
  name: 'Name',
  description: 'Description',
  onlineService: 'Online service',
  known: 'Already known',
  certificateSection: 'Signing certificate subject (one certificate per environment)',
  application: 'Application',
  subject: 'Subject (DN)',
  documentSection: '3. Document types',
  messageType: 'Message type',
  nameIn: (language) => `Name ${language}`,
  trigger: 'Trigger',
  triggers: { citizen: "citizen's request", institution: "institution's initiative" },
  retention: 'Retention (months)',
  volume: 'Volume / year',
  toBeAssigned: 'to be assigned',
  page: 'Page',
};

export const EBOX_LABELS: Readonly<Record<FormLanguage, EboxLabels>> = { fr: FR, nl: NL, en: EN };
