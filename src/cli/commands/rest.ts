import type { RestContractCallOptions } from '../rest-contract-impl.ts';
import { collect, type RegisterCommand } from './_types.ts';

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
    .command('operations')
    .argument('<contract>', 'an OpenAPI 3.0/3.1 or Swagger 2.0 file (YAML or JSON)')
    .description("List a contract's operations: operationId, method, path and the scopes they need")
    .action((file: string, _opts: unknown, cmd) =>
      runner(cmd, async (ctx) => (await import('../rest-contract-impl.ts')).restOperationsCommand(ctx, file)),
    );
  rest
    .command('template')
    .argument('<contract>', 'an OpenAPI 3.0/3.1 or Swagger 2.0 file (YAML or JSON)')
    .argument('<operation>', 'the operationId')
    .description('Print sample parameters and a sample body of an operation, generated from the contract')
    .option(
      '--body-out <file>',
      'also write the sample body as `rest call --body` reads it (a form: its text fields)',
    )
    .action((file: string, operation: string, opts: { bodyOut?: string }, cmd) =>
      runner(cmd, async (ctx) =>
        (await import('../rest-contract-impl.ts')).restTemplateCommand(ctx, file, operation, opts),
      ),
    );
  rest
    .command('call')
    .description(
      "Call one operation of a REST contract: request checked before sending, the operation's scopes asked, the response checked",
    )
    .requiredOption('--openapi <file>', 'the contract: OpenAPI 3.0/3.1 or Swagger 2.0 (YAML or JSON)')
    .requiredOption('--operation <id>', 'the operationId (`rest operations FILE` lists them)')
    .option(
      '--param <name=value>',
      'a path, query or header parameter (repeatable; query.NAME when ambiguous)',
      collect,
    )
    .option(
      '--body <file>',
      'the body: a JSON file, or - for stdin (a form: a JSON object of its text fields)',
    )
    .option('--file <name=path>', 'a file field of a multipart body (repeatable)', collect)
    .option(
      '--content-type <type>',
      "one of the operation's body media types (default: its first, JSON preferred)",
    )
    .option(
      '--api <name>',
      "the API name of {api} in cbss.rest (default: the contract's x-passerelle-api or title)",
    )
    .option('--client-id <id>', 'OAuth client id (default: oauth.clientId of the environment)')
    .option('--scope <scope>', "token scopes (default: rest.apis.<api>.scope, else the operation's)")
    .option('--no-validate', 'send without checking the request and the response against the contract')
    .action((opts: RestContractCallOptions, cmd) =>
      runner(cmd, async (ctx) =>
        (await import('../rest-contract-impl.ts')).restContractCallCommand(ctx, opts),
      ),
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
