import { Option } from 'commander';
import { collect, type RegisterCommand } from './_types.ts';

export interface SoapCallOptions {
  url?: string;
  endpoint?: string;
  path?: string;
  wsdl?: string;
  operation?: string;
  port?: string;
  action?: string;
  security?: 'x509' | 'hok' | 'none';
  body?: string;
  envelope?: string;
  attach?: string[];
  mtom?: boolean;
  envelopeOut?: boolean;
  attachmentsDir?: string;
  replySignature: 'required' | 'optional';
}

/**
 * `passerelle soap call`: any SOAP operation of the selected environment, signed as configured —
 * what partners do with SoapUI or the Java connector for services that have no typed client.
 */
export const registerSoap: RegisterCommand = (program, runner) => {
  const soap = program.command('soap').description('Any SOAP operation of a platform, signed as configured');
  soap
    .command('call')
    .description(
      'Wrap a request body (or take a whole envelope), sign it, send it over mutual TLS, verify the signed reply, print the reply Body',
    )
    .option('--url <url>', 'the service URL')
    .option(
      '--endpoint <name>',
      'an endpoint of the environment (cbss.soap, ehealth.soa, cbss.mtom, ...) instead of --url',
    )
    .option('--path <path>', 'a path appended to --endpoint (e.g. /PlatformIntegrationConsumerTest/v1)')
    .option(
      '--wsdl <file>',
      "the service's WSDL: the URL (rebased on --env), SOAPAction and security come from it",
    )
    .option('--operation <name>', 'the WSDL operation (with --wsdl)')
    .option('--port <name>', 'the WSDL port, when several offer the operation')
    .option('--action <uri>', 'the SOAPAction (required without --wsdl; may be empty: --action "")')
    .addOption(
      new Option(
        '--security <kind>',
        'x509 (X.509 token profile), hok (SAML holder-of-key from the STS) or none',
      ).choices(['x509', 'hok', 'none']),
    )
    .option('--body <file>', "the operation's request element, an XML file or - for stdin")
    .option('--envelope <file>', 'a whole SOAP 1.1 envelope instead of --body (file or -)')
    .option(
      '--attach <id=file>',
      'send FILE as an MTOM attachment with Content-ID ID (repeatable); the body references it with xop:Include href="cid:ID"',
      collect,
    )
    .option('--mtom', 'send as MTOM even without --attach (an operation whose reply carries documents)')
    .option('--envelope-out', 'print the whole reply envelope as received instead of its Body')
    .option('--attachments-dir <dir>', "write the reply's MTOM attachments there (complete files only)")
    .addOption(
      new Option('--reply-signature <policy>', 'a signed call whose reply is unsigned fails unless optional')
        .choices(['required', 'optional'])
        .default('required'),
    )
    .action((opts: SoapCallOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../soap-call-impl.ts')).soapCallCommand(ctx, opts)),
    );
};
