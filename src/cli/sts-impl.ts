import { resolvePath } from '../config/paths.ts';
import { writeSecretFile } from '../secret-file.ts';
import { createStsSession } from '../sts/create-sts-session.ts';
import { summarizeToken } from '../sts/summarize-token.ts';
import type { StsTokenOptions } from './commands/sts.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { unverifiedAssertionWarning } from './unverified-assertion.ts';

/** The state directory of the configuration (token files live under it), if one is configured. */
export async function configuredStateDir(ctx: CommandContext): Promise<string | undefined> {
  const loaded = await ctx.config();
  return loaded.config.stateDir === undefined
    ? undefined
    : resolvePath(loaded.baseDir, loaded.config.stateDir);
}

/**
 * `passerelle sts token`: a token of the environment's holder-of-key identity from the cache or
 * the STS. The assertion is a credential: it is written only to `--out` (mode 0600), never to
 * the console or `--json`.
 */
export async function stsToken(ctx: CommandContext, opts: StsTokenOptions): Promise<number> {
  const env = await ctx.environment();
  const stateDir = opts.cache ? await configuredStateDir(ctx) : undefined;
  const session = await createStsSession(env, {
    clock: ctx.clock,
    processEnv: ctx.processEnv,
    trace: await ctx.trace(),
    ...(stateDir === undefined ? {} : { stateDir }),
  });
  try {
    const { token, source } = await session.token();
    let out: string | undefined;
    if (opts.out !== undefined) {
      out = resolvePath(ctx.cwd, opts.out);
      await writeSecretFile(out, token.assertionXml, { setting: '--out' });
    }
    const summary = summarizeToken(token);
    const cache =
      source === 'sts'
        ? 'new token from the STS'
        : source === 'file'
          ? 'reused from the state directory'
          : 'reused';
    emit(
      ctx.io,
      ctx.json,
      {
        env: env.name,
        ...summary,
        assertionVerified: session.assertionVerified,
        ...(session.assertionVerified ? {} : { warning: unverifiedAssertionWarning(env.name) }),
        cache: source,
        persisted: session.persisted,
        out: out ?? null,
      },
      () =>
        [
          ...(session.assertionVerified ? [] : [`WARNING: ${unverifiedAssertionWarning(env.name)}`]),
          `STS token for ${env.name}: ${cache}`,
          `  AssertionID  ${summary.assertionId}`,
          `  issuer       ${summary.issuer}`,
          `  subject      ${summary.subject}`,
          `  valid        ${summary.notBefore} → ${summary.notOnOrAfter}`,
          `  claims       ${summary.claims.join(', ')}`,
          `  verified     ${session.assertionVerified ? 'yes (trust.sts)' : 'NO (trust.stsUnverified)'}`,
          out === undefined
            ? '  assertion    not printed (use --out FILE)'
            : `  assertion    written to ${out} (mode 0600)`,
        ].join('\n'),
    );
    return 0;
  } finally {
    await session.close();
  }
}
