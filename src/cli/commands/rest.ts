import type { RegisterCommand } from './_types.ts';

export interface RestCallOptions {
  api: string;
  clientId?: string;
  scope?: string;
}

export const registerRest: RegisterCommand = (program, runner) => {
  const rest = program.command('rest').description('KSZ-BCSS REST services (bearer tokens from OAuth v5)');
  rest
    .command('get')
    .argument('<path>', 'path below the API, e.g. /v1/persons/85073003328')
    .description('GET a resource of a REST API and print its JSON body')
    .requiredOption('--api <name>', 'the API name that replaces {api} in cbss.rest')
    .option('--client-id <id>', 'OAuth client id (default: oauth.clientId of the environment)')
    .option('--scope <scope>', 'token scopes (default: oauth.scope, else the client default scopes)')
    .action((path: string, opts: RestCallOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../rest-impl.ts')).restGet(ctx, path, opts)),
    );
  rest
    .command('health')
    .description('GET /{api}/health: UP, DEGRADED (exit 0) or DOWN (exit 1)')
    .requiredOption('--api <name>', 'the API name that replaces {api} in cbss.rest')
    .option('--client-id <id>', 'OAuth client id (default: oauth.clientId of the environment)')
    .option('--scope <scope>', 'token scopes (default: oauth.scope, else the client default scopes)')
    .action((opts: RestCallOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../rest-impl.ts')).restHealthCommand(ctx, opts)),
    );
};
