import { Option } from 'commander';
import type { RegisterCommand } from './_types.ts';

const PROFILES = ['ebox', 'cbss', 'ehealth', 'oauth'];
const ENVS = ['PRD', 'ACC', 'INT', 'SIM'];
const KEY_TYPES = ['rsa-2048', 'rsa-3072', 'ec-p256'];

export interface CertCsrOptions {
  profile: string;
  cbe: string;
  institution: string;
  app: string;
  env?: string;
  keyType: string;
  out: string;
  name?: string;
  passwordEnv?: string;
  passwordFile?: string;
}
export interface CertCheckOptions {
  profile?: string;
  ca?: string;
}
export interface CertPasswordOptions {
  passwordEnv?: string;
  passwordFile?: string;
}
export interface CertDevCaOptions {
  out: string;
  cbe: string;
  institution: string;
  app: string;
}

const passwordOptions = () => [
  new Option('--password-env <name>', 'environment variable holding the password'),
  new Option('--password-file <path>', 'file holding the password (one line)'),
];

export const registerCert: RegisterCommand = (program, runner) => {
  const cert = program
    .command('cert')
    .description('Certificates: CSRs, checks, keystores and a development PKI');
  const csr = cert
    .command('csr')
    .description(
      `Generate a key (encrypted) and a CSR whose subject follows a platform profile; the global --env ${ENVS.join('|')} adds the environment OU`,
    )
    .addOption(
      new Option('--profile <profile>', 'certificate profile').choices(PROFILES).makeOptionMandatory(),
    )
    .requiredOption('--cbe <number>', 'institution CBE/KBO number')
    .requiredOption('--institution <name>', 'institution name')
    .requiredOption('--app <urn>', 'application URN (the CN)')
    .addOption(new Option('--key-type <type>', 'key type').choices(KEY_TYPES).default('rsa-2048'))
    .requiredOption('--out <dir>', 'output directory')
    .option('--name <name>', 'base file name (default: <profile>[-<env>])');
  for (const o of passwordOptions()) csr.addOption(o);
  csr.action((opts: CertCsrOptions, cmd) =>
    runner(cmd, async (ctx) => (await import('../cert-csr-impl.ts')).certCsr(ctx, opts)),
  );

  cert
    .command('check')
    .description('Check a certificate: subject vs profile, CBE, key, signature, validity, EKU, chain')
    .argument('<file>', 'certificate (PEM, optionally followed by its chain, or DER)')
    .addOption(new Option('--profile <profile>', 'certificate profile').choices(PROFILES))
    .option('--ca <bundle>', 'PEM bundle of trusted CA certificates')
    .action((file: string, opts: CertCheckOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../cert-check-impl.ts')).certCheck(ctx, file, opts)),
    );

  const inspect = cert
    .command('inspect')
    .description('List the entries of a PKCS#12 keystore without printing secrets')
    .argument('<file>', 'keystore (.p12/.pfx)');
  for (const o of passwordOptions()) inspect.addOption(o);
  inspect.action((file: string, opts: CertPasswordOptions, cmd) =>
    runner(cmd, async (ctx) => (await import('../cert-inspect-impl.ts')).certInspect(ctx, file, opts)),
  );

  cert
    .command('dev-ca')
    .description('Create (or reuse) a development CA and issue sandbox server and partner certificates')
    .requiredOption('--out <dir>', 'output directory')
    .option('--cbe <number>', 'partner CBE number', '0123456749')
    .option('--institution <name>', 'partner institution name', 'Sandbox Partner')
    .option('--app <urn>', 'partner application URN', 'urn:be:fgov:kbo-bce:sandbox:partner-app')
    .action((opts: CertDevCaOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../cert-dev-ca-impl.ts')).certDevCa(ctx, opts)),
    );
};
