import { resolve } from 'node:path';
import { writeSecretFile } from '../secret-file.ts';
import { createRestService } from '../services/rest/create-rest-service.ts';
import type { OAuthTokenOptions } from './commands/oauth.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

/**
 * `passerelle oauth token`: one token from the environment's authorization server. The token is
 * a credential: it never reaches the console or --json output (its SHA-256 fingerprint identifies
 * it there); --token-file writes it to a file readable by its owner only, for other tools.
 */
export async function oauthToken(ctx: CommandContext, opts: OAuthTokenOptions): Promise<number> {
  const env = await ctx.environment();
  const service = await createRestService(env, {
    clock: ctx.clock,
    processEnv: ctx.processEnv,
    trace: await ctx.trace(),
    ...(opts.clientId === undefined ? {} : { clientId: opts.clientId }),
    ...(opts.scope === undefined ? {} : { scope: opts.scope }),
  });
  try {
    const token = await service.oauth.getToken();
    const expiresAt = new Date(token.expiresAt).toISOString();
    const tokenFile = opts.tokenFile === undefined ? undefined : resolve(ctx.cwd, opts.tokenFile);
    if (tokenFile !== undefined) {
      await writeSecretFile(tokenFile, token.value, { setting: '--token-file' });
    }
    const value = {
      env: env.name,
      clientId: service.oauth.clientId,
      tokenType: token.tokenType,
      scope: token.scope ?? null,
      expiresIn: token.expiresIn,
      expiresAt,
      fingerprint: token.fingerprint,
      ...(tokenFile === undefined ? {} : { tokenFile }),
    };
    emit(ctx.io, ctx.json, value, () =>
      [
        `OAuth token for ${env.name} (client ${service.oauth.clientId})`,
        `  type         ${token.tokenType}`,
        `  scope        ${token.scope ?? '(not stated by the server)'}`,
        `  expires      ${expiresAt} (in ${token.expiresIn} s)`,
        `  fingerprint  ${token.fingerprint}`,
        tokenFile === undefined
          ? '  token        not printed (--token-file F writes it to F)'
          : `  token        written to ${tokenFile} (0600)`,
      ].join('\n'),
    );
    return 0;
  } finally {
    await service.close();
  }
}
