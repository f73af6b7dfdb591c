import type { RegisterCommand } from './_types.ts';

export interface OAuthTokenOptions {
  clientId?: string;
  scope?: string;
  tokenFile?: string;
}

export const registerOAuth: RegisterCommand = (program, runner) => {
  const oauth = program
    .command('oauth')
    .description('OAuth v5 of the KSZ-BCSS REST services (client_credentials, private_key_jwt)');
  oauth
    .command('token')
    .description(
      'Get an access token for the environment; prints its expiry, scope and fingerprint, never the token (--token-file writes it to a file)',
    )
    .option('--client-id <id>', 'OAuth client id (default: oauth.clientId of the environment)')
    .option(
      '--scope <scope>',
      'scopes, space separated (default: oauth.scope, else the client default scopes)',
    )
    .option(
      '--token-file <file>',
      'write the access token to this file (created 0600): a credential never goes to the console',
    )
    .action((opts: OAuthTokenOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../oauth-impl.ts')).oauthToken(ctx, opts)),
    );
};
