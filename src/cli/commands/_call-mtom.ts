import type { MtomDownloadCliOptions, MtomUploadCliOptions } from '../mtom-impl.ts';
import type { RegisterCallSubcommand } from './_call-registry.ts';
import { collect } from './_types.ts';

export const registerMtomCalls: RegisterCallSubcommand = (call, runner) => {
  call
    .command('mtom:upload')
    .description(
      'MTOM test upload on port 4522 (signed over the attachments): the receiver answers each size and SHA-256',
    )
    .requiredOption('--file <path>', 'file to send as an MTOM attachment (repeatable)', collect)
    .option('--content-type <type>', 'MIME type of the files (default application/octet-stream)')
    .action((opts: MtomUploadCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../mtom-impl.ts')).callMtomUpload(ctx, opts)),
    );
  call
    .command('mtom:download')
    .description(
      'MTOM test download on port 4522: N bytes of generated content, signature and digest checked',
    )
    .requiredOption('--size <bytes>', 'bytes to download (suffixes k, M, G: powers of 1024)')
    .requiredOption('--out <file>', 'where to write the document (written only once verified)')
    .option('--seed <text>', 'seed of the generated content', 'passerelle')
    .action((opts: MtomDownloadCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../mtom-impl.ts')).callMtomDownload(ctx, opts)),
    );
};
