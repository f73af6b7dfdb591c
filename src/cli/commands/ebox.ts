import { collect, type RegisterCommand } from './_types.ts';

export interface EboxPublishCliOptions {
  to: string;
  type: string;
  title: string;
  lang: string;
  file: string;
  fileName?: string;
  mime?: string;
  annex?: string[];
  digest?: string;
  ticket?: string;
  sequence?: string;
  senderApp?: string;
  senderInstitution?: string;
  idempotencyKey?: string;
  replyAuthorized?: boolean;
  rest?: boolean;
  clientId?: string;
}

export interface EboxStatusCliOptions {
  to: string;
  ticket: string;
  sequence?: string;
}

export interface EboxHealthCliOptions {
  level: string;
}

export const registerEbox: RegisterCommand = (program, runner) => {
  const ebox = program
    .command('ebox')
    .description("Citizen eBox: publish documents to a citizen's eBox (SOAP EBoxMessage v1 or REST v2)");
  ebox
    .command('publish')
    .description(
      'Publish a document to a citizen (SOAP, signed, swaRef attachment; --rest: REST v2 with OAuth)',
    )
    .requiredOption('--to <inss>', "the citizen's INSS/NISS")
    .requiredOption('--type <messageType>', 'the registered message type (6 to 80 characters)')
    .requiredOption('--title <text>', 'the subject (at most 400 characters, one language)')
    .option('--lang <fr|nl|de>', 'the language of the subject', 'fr')
    .requiredOption('--file <path>', 'the document (main content), streamed')
    .option('--file-name <name>', 'the name the citizen downloads (default: the file name, at most 80)')
    .option('--mime <type>', 'the MIME type (default from the extension: .pdf → application/pdf)')
    .option('--annex <path>', 'REST only: an annex (repeatable, at most 5)', collect)
    .option('--digest <alg>', 'SHA-256 (default) or SHA-512')
    .option(
      '--ticket <ticket>',
      'SOAP: the publication id (default: a new one, printed); same ticket+sequence replaces',
    )
    .option('--sequence <n>', 'SOAP: 0 to 99999, several documents under one ticket')
    .option('--sender-app <urn>', 'SenderID application (only with a certificate shared by applications)')
    .option('--sender-institution <cbe>', "SenderID institution: must be the certificate's CBE")
    .option(
      '--idempotency-key <key>',
      'REST: the Idempotency-Key (default: derived from the ticket, else new)',
    )
    .option('--reply-authorized', 'REST: the citizen may reply')
    .option('--rest', 'publish over REST v2 (OAuth bearer token) instead of SOAP')
    .option('--client-id <id>', 'REST: OAuth client id (default: oauth.clientId of the environment)')
    .action((opts: EboxPublishCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../ebox-impl.ts')).eboxPublish(ctx, opts)),
    );
  ebox
    .command('has-ebox')
    .argument('<inss>', "the citizen's INSS/NISS")
    .description('Whether a citizen has an eBox (SOAP hasAnEbox)')
    .action((inss: string, _opts: object, cmd) =>
      runner(cmd, async (ctx) => (await import('../ebox-impl.ts')).eboxHasEbox(ctx, inss)),
    );
  ebox
    .command('status')
    .description('Whether the citizen has consulted a publication (SOAP getMessageStatus)')
    .requiredOption('--to <inss>', "the citizen's INSS/NISS")
    .requiredOption('--ticket <ticket>', 'the ticket of the publication')
    .option('--sequence <n>', 'its sequence, when the ticket has several')
    .action((opts: EboxStatusCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../ebox-impl.ts')).eboxStatus(ctx, opts)),
    );
  ebox
    .command('health')
    .description('The EBoxMessage healthCheck (PING, DEFAULT or DEEP)')
    .option('--level <level>', 'PING, DEFAULT or DEEP', 'PING')
    .action((opts: EboxHealthCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../ebox-impl.ts')).eboxHealth(ctx, opts)),
    );
};
