import type { RegisterCommand } from './_types.ts';

export interface WsdlTemplateOptions {
  port?: string;
}

export const registerWsdl: RegisterCommand = (program, runner) => {
  const wsdl = program
    .command('wsdl')
    .description('Read a WSDL 1.1 contract and its local XSDs (remote imports are never fetched)');
  wsdl
    .command('operations')
    .description('List the SOAP operations: port, address, SOAPAction, request element, security policy')
    .argument('<file>', 'the .wsdl file')
    .action((file: string, _opts: unknown, cmd) =>
      runner(cmd, async (ctx) => (await import('../wsdl-impl.ts')).wsdlOperations(ctx, file)),
    );
  wsdl
    .command('template')
    .description("Print a skeleton of the operation's request Body, generated from the XSDs")
    .argument('<file>', 'the .wsdl file')
    .argument('<operation>', 'the operation name')
    .option('--port <name>', 'the port (or Service/Port) when several offer the operation differently')
    .action((file: string, operation: string, opts: WsdlTemplateOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../wsdl-impl.ts')).wsdlTemplate(ctx, file, operation, opts)),
    );
};
