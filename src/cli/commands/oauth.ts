import type { RegisterCommand } from './_types.ts';

export interface OAuthTokenOptions {
  clientId?: string;
  scope?: string;
  showToken?: boolean;
}

export const registerOAuth: RegisterCommand = (program, runner) => {
  const oauth = program
    .command('oauth')
    .description('OAuth v5 of the KSZ-BCSS REST services (client_credentials, private_key_jwt)');
  oauth
    .command('token')
    .description(
      'Get an access token for the environment; prints its expiry, scope and fingerprint, the token itself only with --show-token',
    )
    .option('--client-id <id>', 'OAuth client id (default: oauth.clientId of the environment)')
    .option(
      '--scope <scope>',
      'scopes, space separated (default: oauth.scope, else the client default scopes)',
    )
    .option('--show-token', 'also print the access token (it is a credential: keep it out of logs)')
    .action((opts: OAuthTokenOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../oauth-impl.ts')).oauthToken(ctx, opts)),
    );
};
