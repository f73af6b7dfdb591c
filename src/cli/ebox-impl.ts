import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { checkInputFile } from '../input-file.ts';
import {
  createEboxRestClient,
  type EboxDigestAlgorithm,
  type EboxPublication,
  type EboxPublishResult,
  eboxHealthCheck,
  getMessageStatus,
  hasAnEbox,
  publishEboxMessage,
} from '../services/ebox/index.ts';
import { withServiceContext } from './call-session.ts';
import type { EboxHealthCliOptions, EboxPublishCliOptions, EboxStatusCliOptions } from './commands/ebox.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { createProgress } from './progress.ts';

function usageError(message: string): PasserelleError {
  return new PasserelleError('ERR_USAGE', message, {
    hint: 'Run `passerelle ebox publish --help` (or the --help of the command) to see its options.',
  });
}

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text)) throw usageError(`${flag} must be a whole number from 0 to 99999`);
  return Number(text);
}

function language(text: string): 'fr' | 'nl' | 'de' {
  const lang = text.toLowerCase();
  if (lang !== 'fr' && lang !== 'nl' && lang !== 'de') throw usageError('--lang must be fr, nl or de');
  return lang;
}

function digest(text: string | undefined): EboxDigestAlgorithm | undefined {
  if (text === undefined) return undefined;
  const alg = text.toUpperCase().replace(/^SHA(\d)/, 'SHA-$1');
  // SHA-1 (and anything else) goes through, so that validatePublication refuses it with its code.
  return alg as EboxDigestAlgorithm;
}

/** A ticket for a publication that names none: 25 characters, random, printed so it can be reused. */
function newTicket(): string {
  return `P${randomBytes(12).toString('hex')}`;
}

/** `passerelle ebox publish`: one document to a citizen, over SOAP (default) or REST. */
export async function eboxPublish(ctx: CommandContext, opts: EboxPublishCliOptions): Promise<number> {
  const path = resolve(ctx.cwd, opts.file);
  const annexes = (opts.annex ?? []).map((a) => resolve(ctx.cwd, a));
  if (!opts.rest && annexes.length > 0)
    throw usageError('--annex is for REST publications (--rest): EBoxMessage takes no annexes for citizens');
  const digestAlgorithm = digest(opts.digest);
  const sequence = integer('--sequence', opts.sequence);
  // SOAP needs a ticket: a new one when none is given (printed, so that a retry can reuse it).
  const ticket = opts.ticket ?? (opts.rest ? undefined : newTicket());
  const publication: EboxPublication = {
    recipient: opts.to,
    messageType: opts.type,
    subject: { lang: language(opts.lang), text: opts.title },
    document: {
      path,
      ...(opts.fileName === undefined ? {} : { fileName: opts.fileName }),
      ...(opts.mime === undefined ? {} : { mime: opts.mime }),
      ...(digestAlgorithm === undefined ? {} : { digestAlgorithm }),
    },
    ...(annexes.length === 0 ? {} : { annexes: annexes.map((p) => ({ path: p })) }),
    ...(ticket === undefined ? {} : { ticket }),
    ...(sequence === undefined ? {} : { sequence }),
    ...(opts.senderApp === undefined ? {} : { senderApplication: opts.senderApp }),
    ...(opts.senderInstitution === undefined ? {} : { senderInstitution: opts.senderInstitution }),
    ...(opts.idempotencyKey === undefined ? {} : { idempotencyKey: opts.idempotencyKey }),
    ...(opts.replyAuthorized ? { replyAuthorized: true } : {}),
  };
  let total = await checkInputFile(path, { what: 'document to publish', setting: '--file' });
  for (const a of annexes) total += await checkInputFile(a, { what: 'annex', setting: '--annex' });
  // The SOAP client reports the bytes as it sends them; the REST client does not (no progress line).
  const progress = opts.rest ? undefined : createProgress(ctx, 'ebox:publish', total);
  const onProgress = progress === undefined ? {} : { onProgress: (n: number) => progress.add(n) };
  let env: string;
  let result: EboxPublishResult;
  try {
    if (opts.rest) {
      const environment = await ctx.environment();
      env = environment.name;
      const client = await createEboxRestClient(environment, {
        clock: ctx.clock,
        processEnv: ctx.processEnv,
        trace: await ctx.trace(),
        ...(opts.clientId === undefined ? {} : { clientId: opts.clientId }),
      });
      try {
        result = await client.publish(publication);
      } finally {
        await client.close();
      }
    } else {
      [env, result] = await withServiceContext(ctx, async (services) => [
        services.environment,
        await publishEboxMessage(services, publication, onProgress),
      ]);
    }
  } finally {
    progress?.done();
  }
  emit(ctx.io, ctx.json, { operation: 'ebox:publish', env, ...result }, () => _human(env, result));
  return 0;
}

function _human(env: string, r: EboxPublishResult): string {
  const id =
    r.transport === 'soap'
      ? `ticket ${r.ticket}${r.sequence === undefined ? '' : ` sequence ${r.sequence}`}`
      : `Idempotency-Key ${r.idempotencyKey}`;
  return [
    `ebox:publish on ${env} over ${r.transport.toUpperCase()}: published, message ${r.messageId}`,
    `  to        ${r.recipient}`,
    `  document  ${r.document.fileName} (${r.document.mime}, ${r.document.size} bytes, ${r.document.digestAlgorithm} ${r.document.digest})`,
    `  sender    institution ${r.sender.institution}, application ${r.sender.application}`,
    `  ${id}`,
    ...(r.expirationDate === undefined ? [] : [`  expires   ${r.expirationDate}`]),
    ...(r.noDigitalUser
      ? ['  NO_DIGITAL_USER: the citizen has never opened their eBox (published all the same; not an error)']
      : []),
  ].join('\n');
}

/** `passerelle ebox has-ebox INSS`. */
export async function eboxHasEbox(ctx: CommandContext, inss: string): Promise<number> {
  const [env, result] = await withServiceContext(ctx, async (s) => [s.environment, await hasAnEbox(s, inss)]);
  emit(
    ctx.io,
    ctx.json,
    { operation: 'ebox:has-ebox', env, ...result },
    () => `${result.inss}: ${result.hasEbox ? 'has an eBox' : 'has no eBox'} (${env})`,
  );
  return 0;
}

/** `passerelle ebox status --to INSS --ticket T [--sequence N]`. */
export async function eboxStatus(ctx: CommandContext, opts: EboxStatusCliOptions): Promise<number> {
  const sequence = integer('--sequence', opts.sequence);
  const query = { recipient: opts.to, ticket: opts.ticket, ...(sequence === undefined ? {} : { sequence }) };
  const [env, result] = await withServiceContext(ctx, async (s) => [
    s.environment,
    await getMessageStatus(s, query),
  ]);
  emit(
    ctx.io,
    ctx.json,
    { operation: 'ebox:status', env, ...result },
    () =>
      `ticket ${result.ticket}${result.sequence === undefined ? '' : ` sequence ${result.sequence}`} to ${result.recipient}: ${result.consulted ? 'consulted' : 'not consulted yet'} (${env})`,
  );
  return 0;
}

/** `passerelle ebox health [--level PING|DEFAULT|DEEP]`. */
export async function eboxHealth(ctx: CommandContext, opts: EboxHealthCliOptions): Promise<number> {
  const level = opts.level.toUpperCase();
  if (level !== 'PING' && level !== 'DEFAULT' && level !== 'DEEP')
    throw usageError('--level must be PING, DEFAULT or DEEP');
  const [env, result] = await withServiceContext(ctx, async (s) => [
    s.environment,
    await eboxHealthCheck(s, level),
  ]);
  emit(ctx.io, ctx.json, { operation: 'ebox:health', env, level, result }, () =>
    [
      `ebox health ${level} on ${env}: ${result.status.level}${result.status.message ? ` (${result.status.message})` : ''}`,
      `  component ${result.component.name} ${result.component.version} in ${result.location.environment}`,
      ...result.sanityChecks.map(
        (c) =>
          `  check ${c.id} (${c.resource.type} ${c.resource.name}): ${c.status.level}, ${c.timeInMillis} ms`,
      ),
    ].join('\n'),
  );
  return 0;
}
