import { extname, resolve } from 'node:path';
import { ENDPOINT_NAMES, type EndpointName } from '../config/registry.ts';
import { PasserelleError } from '../errors.ts';
import { checkInputFile, readInputFile } from '../input-file.ts';
import { type CallAttachment, type CallSecurity, callSoap } from '../services/call-soap.ts';
import type { ServiceContext } from '../services/service-context.ts';
import { createStsSession } from '../sts/create-sts-session.ts';
import { signerSummary, withServiceContext } from './call-session.ts';
import type { SoapCallOptions } from './commands/soap.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { configuredStateDir } from './sts-impl.ts';
import { readStdinBytes } from './wss-stdin.ts';

const TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.zip': 'application/zip',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
};

function usage(message: string, hint: string): PasserelleError {
  return new PasserelleError('ERR_USAGE', message, { hint });
}

async function _attachments(ctx: CommandContext, specs: readonly string[]): Promise<CallAttachment[]> {
  const out: CallAttachment[] = [];
  for (const spec of specs) {
    const at = spec.indexOf('=');
    if (at <= 0 || at === spec.length - 1) {
      throw usage(
        `--attach ${JSON.stringify(spec.slice(0, 80))} is not ID=FILE`,
        'Write --attach doc1=statement.pdf, and reference it in the body as <xop:Include href="cid:doc1"/>.',
      );
    }
    const file = resolve(ctx.cwd, spec.slice(at + 1));
    const type = TYPES[extname(file).toLowerCase()];
    await checkInputFile(file, { what: 'file to attach', setting: '--attach' });
    out.push({ contentId: spec.slice(0, at), file, ...(type === undefined ? {} : { contentType: type }) });
  }
  return out;
}

interface Target {
  readonly url: string;
  readonly action: string;
  readonly security: 'x509' | 'hok' | 'none';
  readonly source: string;
}

async function _target(
  ctx: CommandContext,
  services: ServiceContext,
  opts: SoapCallOptions,
): Promise<Target> {
  const chosen = [opts.url, opts.endpoint].filter((v) => v !== undefined).length;
  if (chosen > 1)
    throw usage(
      '--url and --endpoint exclude each other',
      'Give the service URL with --url, or an endpoint name of the environment with --endpoint.',
    );
  if (opts.path !== undefined && opts.endpoint === undefined)
    throw usage(
      '--path goes with --endpoint',
      'Append a path to an endpoint of the environment: --endpoint ehealth.soa --path /Service/v1.',
    );
  if (opts.wsdl !== undefined) {
    if (opts.operation === undefined)
      throw usage(
        '--wsdl needs --operation',
        'Name the operation: passerelle wsdl operations FILE lists them.',
      );
    const { targetFromWsdl } = await import('./soap-wsdl-target.ts');
    const fromWsdl = await targetFromWsdl(ctx, services, opts);
    return {
      url: opts.url ?? (opts.endpoint === undefined ? fromWsdl.url : _endpoint(services, opts)),
      action: opts.action ?? fromWsdl.action,
      security: opts.security ?? fromWsdl.security,
      source: fromWsdl.source,
    };
  }
  if (opts.operation !== undefined || opts.port !== undefined)
    throw usage(
      '--operation and --port go with --wsdl',
      'Give the WSDL with --wsdl FILE, or the URL and --action without it.',
    );
  if (chosen === 0)
    throw usage(
      'Say where to send the call',
      'Give --url URL, --endpoint NAME [--path PATH], or --wsdl FILE --operation OP.',
    );
  if (opts.action === undefined)
    throw usage(
      '--action is required without --wsdl',
      'Give the operation\'s SOAPAction (--action "" for an empty one), or take it from the WSDL with --wsdl FILE --operation OP.',
    );
  return {
    url: opts.url ?? _endpoint(services, opts),
    action: opts.action,
    security: opts.security ?? 'x509',
    source: opts.url !== undefined ? '--url' : `--endpoint ${opts.endpoint}`,
  };
}

function _endpoint(services: ServiceContext, opts: SoapCallOptions): string {
  const name = opts.endpoint!;
  if (!(ENDPOINT_NAMES as readonly string[]).includes(name)) {
    throw usage(
      `Unknown endpoint "${name.slice(0, 40)}"`,
      `--endpoint is one of ${ENDPOINT_NAMES.join(', ')}.`,
    );
  }
  const base = services.endpoint(name as EndpointName);
  if (opts.path === undefined) return base;
  if (!opts.path.startsWith('/'))
    throw usage('--path starts with /', 'For example --path /PlatformIntegrationConsumerTest/v1.');
  return `${base.replace(/\/+$/, '')}${opts.path}`;
}

/**
 * `passerelle soap call`: reads the body (or envelope) and attachments, resolves the URL,
 * SOAPAction and security (flags, else the WSDL), runs callSoap in the environment's service
 * context, and prints the reply Body (or the whole reply envelope with --envelope-out).
 */
export async function soapCallCommand(ctx: CommandContext, opts: SoapCallOptions): Promise<number> {
  if ((opts.body === undefined) === (opts.envelope === undefined)) {
    throw usage(
      'Give exactly one of --body and --envelope',
      "The operation's request element with --body FILE (or - for stdin), or a whole SOAP envelope with --envelope FILE.",
    );
  }
  const flag = opts.body !== undefined ? '--body' : '--envelope';
  const path = (opts.body ?? opts.envelope)!;
  const bytes =
    path === '-'
      ? await readStdinBytes()
      : await readInputFile(resolve(ctx.cwd, path), {
          what: flag === '--body' ? 'request body' : 'envelope',
          setting: flag,
        });
  const payload = opts.body !== undefined ? { body: bytes } : { envelope: bytes };
  const attachments = await _attachments(ctx, opts.attach ?? []);
  const env = await ctx.environment();
  const stateDir =
    opts.security === 'hok' || opts.wsdl !== undefined ? await configuredStateDir(ctx) : undefined;
  const { target, result } = await withServiceContext(
    ctx,
    async (services) => {
      const target = await _target(ctx, services, opts);
      let security: CallSecurity = target.security === 'hok' ? 'none' : target.security;
      let close = async () => {};
      if (target.security === 'hok') {
        const session = await createStsSession(env, {
          clock: ctx.clock,
          processEnv: ctx.processEnv,
          transport: services.transport,
          ...(stateDir === undefined ? {} : { stateDir }),
        });
        security = { hok: { credential: session.credential, token: session.token } };
        close = () => session.close();
      }
      try {
        const result = await callSoap(services, {
          url: target.url,
          action: target.action,
          payload,
          security,
          attachments,
          ...(opts.mtom === true ? { mtom: true } : {}),
          ...(opts.attachmentsDir === undefined
            ? {}
            : { attachmentsDir: resolve(ctx.cwd, opts.attachmentsDir) }),
        });
        return { target, result };
      } finally {
        await close();
      }
    },
    { replySignature: opts.replySignature },
  );
  const signer = signerSummary(result.replySigner);
  emit(
    ctx.io,
    ctx.json,
    {
      env: env.name,
      url: target.url,
      action: target.action,
      security: target.security,
      replySigner: signer,
      body: result.body,
      ...(opts.envelopeOut === true ? { envelope: result.envelope } : {}),
      attachments: result.attachments,
    },
    () => (opts.envelopeOut === true ? result.envelope : result.body.join('\n')),
  );
  if (!ctx.json) {
    ctx.io.err(
      `soap call ${target.url} (${target.security}): ${signer === null ? 'unsigned reply' : `reply signed by ${signer.subject}, verified`}` +
        (result.attachments.length === 0
          ? ''
          : `; ${result.attachments.length} attachment(s)${opts.attachmentsDir === undefined ? '' : ` written to ${opts.attachmentsDir}`}`),
    );
  }
  return 0;
}
