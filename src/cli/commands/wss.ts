import { Option } from 'commander';
import { collect, type RegisterCommand } from './_types.ts';

export interface WssSignOptions {
  cert?: string;
  key?: string;
  p12?: string;
  passwordEnv?: string;
  passwordFile?: string;
  alg: 'auto' | 'rsa-sha256' | 'ecdsa-sha256';
  ttl?: string;
  inclusiveNamespaces: boolean;
}

export interface WssVerifyOptions {
  /** Signer certificates trusted as themselves (one certificate per file). */
  pin?: string[];
  /** CA certificates a signer's chain must reach. */
  ca?: string[];
  require?: string;
  maxSkew?: string;
}

export const registerWss: RegisterCommand = (program, runner) => {
  const wss = program
    .command('wss')
    .description('WS-Security X.509 token profile: sign and strictly verify SOAP envelopes');
  wss
    .command('sign')
    .description('Sign the SOAP 1.1 envelope read on stdin; print the signed envelope')
    .option('--cert <file>', 'PEM certificate (chain) of the signing key')
    .option('--key <file>', 'PEM private key (encrypted or not)')
    .option('--p12 <file>', 'PKCS#12 keystore holding the key and certificate')
    .option('--password-env <name>', 'environment variable holding the key/keystore password')
    .option('--password-file <path>', 'file holding the key/keystore password')
    .addOption(
      new Option('--alg <alg>', 'signature algorithm (must match the key)')
        .choices(['auto', 'rsa-sha256', 'ecdsa-sha256'])
        .default('auto'),
    )
    .option('--ttl <seconds>', 'timestamp lifetime in seconds, at most 300 (default 300)')
    .option('--no-inclusive-namespaces', 'write no InclusiveNamespaces PrefixList (as the Java stacks do)')
    .action((opts: WssSignOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../wss-sign-impl.ts')).wssSign(ctx, opts)),
    );
  wss
    .command('verify')
    .description(
      'Verify the signed envelope read on stdin; exit 0 printing the signer and signed parts, 1 printing the error code',
    )
    .option(
      '--pin <file>',
      "the trusted signer's own certificate, alone in its PEM file (repeatable)",
      collect,
    )
    .option('--ca <file>', 'PEM file of CA certificates a signer must chain to (repeatable)', collect)
    .option('--require <parts>', 'parts that must be signed, comma-separated (default: body,timestamp,bst)')
    .option('--max-skew <seconds>', 'tolerated clock difference in seconds (default 60)')
    .action((opts: WssVerifyOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../wss-verify-impl.ts')).wssVerify(ctx, opts)),
    );
};
