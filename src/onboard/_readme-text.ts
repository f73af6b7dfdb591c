import type { OnboardLanguage } from './answers.ts';

/** The sentences of the kit's README, per language (FR, NL, EN). */
export interface ReadmeText {
  readonly title: string;
  readonly intro: (date: string, envs: string, services: string) => string;
  readonly firewall: string;
  readonly firewallForm: string;
  readonly firewallSign: string;
  readonly sendTo: string;
  readonly cc: string;
  readonly flowHeader: readonly [string, string, string, string, string];
  readonly flowNote: (groups: string) => string;
  readonly hostNoIp: string;
  readonly certificates: string;
  readonly certificatesIntro: string;
  readonly purpose: Readonly<Record<'tls' | 'ebox' | 'oauth', string>>;
  readonly certHeader: readonly [string, string, string, string];
  readonly certSteps: readonly string[];
  readonly certsTo: string;
  readonly neverSend: string;
  readonly oauth: string;
  readonly oauthSteps: (clientId: string | undefined) => readonly string[];
  readonly ebox: string;
  readonly eboxSteps: readonly string[];
  readonly formsPending: string;
  readonly config: string;
  readonly configSteps: readonly string[];
  readonly files: string;
}

const FR: ReadmeText = {
  title: "Dossier d'onboarding",
  intro: (date, envs, services) =>
    `Généré le ${date} par \`passerelle onboard init\` pour les environnements ${envs} et les services ${services}.`,
  firewall: 'Ouverture des flux dans les firewalls',
  firewallForm: 'Le formulaire (un seul pour tous les environnements)',
  firewallSign:
    'Faites-le signer par le conseiller en sécurité et le responsable technique de votre institution, puis envoyez-le :',
  sendTo: 'à',
  cc: 'cc',
  flowHeader: ['ligne', 'env.', 'source', 'destination', 'protocole'],
  flowNote: (groups) => `Note pour la plateforme : ajouter l'IP source à la règle de groupe ${groups}.`,
  hostNoIp: "aucune IP publiée : le nom d'hôte tient lieu d'IP",
  certificates: 'Certificats',
  certificatesIntro:
    "Une clé et une demande de certificat (CSR) par environnement et par usage. La clé est chiffrée (mode 0600) ; son mot de passe est dans le fichier .key.pass à côté d'elle.",
  purpose: {
    tls: 'client TLS (et signature SOAP)',
    ebox: 'expéditeur eBox',
    oauth: 'signature des assertions OAuth',
  },
  certHeader: ['env.', 'usage', 'sujet', 'CSR'],
  certSteps: [
    'Envoyez chaque CSR à votre autorité de certification (CA public-trust, ou QuoVadis ; les membres de la Smals passent par la Smals).',
    'Placez chaque certificat reçu au chemin .crt indiqué (même nom que la CSR, extension .crt).',
  ],
  certsTo: 'Envoyez les fichiers .crt (client TLS et OAuth) à la BCSS :',
  neverSend: "N'envoyez jamais les fichiers .key ni .key.pass : ils restent chez vous.",
  oauth: 'Client OAuth',
  oauthSteps: (clientId) => [
    `Demandez l'enregistrement de votre client-id${clientId ? ` (proposé : \`${clientId}\`)` : ''} avec les certificats OAuth à :`,
  ],
  ebox: 'eBox',
  eboxSteps: [
    "Envoyez les fiches de demande eBox (institution, application, types de document) à l'équipe eBox :",
    "Une fois l'URN de l'application validée par l'équipe eBox, envoyez la CSR eBox à la CA (QuoVadis).",
  ],
  formsPending: '(formulaire non généré par cette version : à remplir à la main)',
  config: 'Configuration et vérification',
  configSteps: [
    'passerelle.config.yaml pointe vers les clés et les futurs certificats de ce dossier.',
    'Quand les certificats sont en place et les flux ouverts, depuis ce dossier : `passerelle doctor --env acpt --onboarding .` (il nomme la ligne du formulaire d’un flux fermé).',
  ],
  files: 'Fichiers',
};

const NL: ReadmeText = {
  title: 'Onboardingmap',
  intro: (date, envs, services) =>
    `Aangemaakt op ${date} door \`passerelle onboard init\` voor de omgevingen ${envs} en de diensten ${services}.`,
  firewall: 'Opening van de stromen in de firewalls',
  firewallForm: 'Het formulier (één voor alle omgevingen)',
  firewallSign:
    'Laat het ondertekenen door de veiligheidsadviseur en de technisch verantwoordelijke van uw instelling en stuur het:',
  sendTo: 'aan',
  cc: 'cc',
  flowHeader: ['rij', 'omg.', 'bron', 'bestemming', 'protocol'],
  flowNote: (groups) => `Nota voor het platform: het bron-IP toevoegen aan de groepsregel ${groups}.`,
  hostNoIp: 'geen IP gepubliceerd: de hostnaam staat in de plaats van het IP',
  certificates: 'Certificaten',
  certificatesIntro:
    'Eén sleutel en één certificaataanvraag (CSR) per omgeving en per gebruik. De sleutel is versleuteld (mode 0600); het wachtwoord staat in het .key.pass-bestand ernaast.',
  purpose: {
    tls: 'TLS-client (en SOAP-handtekening)',
    ebox: 'eBox-afzender',
    oauth: 'ondertekening van de OAuth-assertions',
  },
  certHeader: ['omg.', 'gebruik', 'onderwerp', 'CSR'],
  certSteps: [
    'Stuur elke CSR naar uw certificatieautoriteit (public-trust CA, of QuoVadis; leden van Smals via Smals).',
    'Plaats elk ontvangen certificaat op het aangegeven .crt-pad (zelfde naam als de CSR, extensie .crt).',
  ],
  certsTo: 'Bezorg de .crt-bestanden (TLS-client en OAuth) aan de KSZ:',
  neverSend: 'Stuur nooit de .key- of .key.pass-bestanden: die blijven bij u.',
  oauth: 'OAuth-client',
  oauthSteps: (clientId) => [
    `Vraag de registratie van uw client-id${clientId ? ` (voorgesteld: \`${clientId}\`)` : ''} aan, met de OAuth-certificaten, bij:`,
  ],
  ebox: 'eBox',
  eboxSteps: [
    'Stuur de eBox-aanvraagfiches (instelling, toepassing, documenttypes) naar het eBox-team:',
    'Zodra het eBox-team de URN van de toepassing heeft gevalideerd, stuurt u de eBox-CSR naar de CA (QuoVadis).',
  ],
  formsPending: '(formulier niet aangemaakt door deze versie: met de hand in te vullen)',
  config: 'Configuratie en controle',
  configSteps: [
    'passerelle.config.yaml verwijst naar de sleutels en de toekomstige certificaten van deze map.',
    'Wanneer de certificaten er zijn en de stromen open staan, vanuit deze map: `passerelle doctor --env acpt --onboarding .` (het noemt de rij van het formulier bij een gesloten stroom).',
  ],
  files: 'Bestanden',
};

const EN: ReadmeText = {
  title: 'Onboarding folder',
  intro: (date, envs, services) =>
    `Written on ${date} by \`passerelle onboard init\` for the environments ${envs} and the services ${services}.`,
  firewall: 'Firewall flows',
  firewallForm: 'The form (one for every environment)',
  firewallSign: "Have it signed by your institution's security adviser and technical lead, then send it:",
  sendTo: 'to',
  cc: 'cc',
  flowHeader: ['row', 'env', 'source', 'destination', 'protocol'],
  flowNote: (groups) => `Note for the platform: add the source IP to the ${groups} group rule.`,
  hostNoIp: 'no published IP: the host name stands for the IP',
  certificates: 'Certificates',
  certificatesIntro:
    'One key and one certificate signing request (CSR) per environment and purpose. The key is encrypted (mode 0600); its password is in the .key.pass file beside it.',
  purpose: {
    tls: 'TLS client (and SOAP signatures)',
    ebox: 'eBox sender',
    oauth: 'OAuth client-assertion signing',
  },
  certHeader: ['env', 'purpose', 'subject', 'CSR'],
  certSteps: [
    'Send each CSR to your certificate authority (a public-trust CA, or QuoVadis; Smals members through Smals).',
    'Put each certificate you get back at its .crt path (the CSR name with the .crt extension).',
  ],
  certsTo: 'Send the .crt files (TLS client and OAuth) to KSZ-BCSS:',
  neverSend: 'Never send the .key or .key.pass files: they stay with you.',
  oauth: 'OAuth client',
  oauthSteps: (clientId) => [
    `Ask for your client id${clientId ? ` (proposed: \`${clientId}\`)` : ''} to be registered, with the OAuth certificates, at:`,
  ],
  ebox: 'eBox',
  eboxSteps: [
    'Send the eBox request forms (institution, application, document types) to the eBox team:',
    'Once the eBox team has validated the application URN, send the eBox CSR to the CA (QuoVadis).',
  ],
  formsPending: '(form not written by this version: fill it in by hand)',
  config: 'Configuration and check',
  configSteps: [
    "passerelle.config.yaml points at this folder's keys and future certificates.",
    'Once the certificates are in place and the flows open, from this folder: `passerelle doctor --env acpt --onboarding .` (it names the form row of a closed flow).',
  ],
  files: 'Files',
};

export const README_TEXT: Readonly<Record<OnboardLanguage, ReadmeText>> = { fr: FR, nl: NL, en: EN };
