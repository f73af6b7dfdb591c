import { resolve } from 'node:path';
import type { ResolvedEnvironment } from '../config/environment.ts';
import type { MssConfig } from '../config/mss-schema.ts';
import { resolvePath } from '../config/paths.ts';
import { readSecret } from '../config/secret.ts';
import { PasserelleError } from '../errors.ts';
import type { MssAuth, MssConnectionOptions } from '../mss/index.ts';
import { loadCredential } from '../pki/load-credential.ts';
import { readTrustFile } from '../pki/load-trust.ts';
import type { CommandContext } from './context.ts';

/** The MSSanté settings of the selected environment, or a clear error naming the key to set. */
export async function mssSettings(
  ctx: CommandContext,
): Promise<{ env: ResolvedEnvironment; mss: MssConfig }> {
  const env = await ctx.environment();
  if (env.mss === undefined)
    throw new PasserelleError(
      'ERR_CONFIG_INVALID',
      `No MSSanté mailbox is configured for environment ${env.name}`,
      {
        hint: `Set environments.${env.name}.mss (mailbox, imap, smtp, psc) in the configuration; \`passerelle sandbox\` writes one for env sandbox.`,
        details: { setting: `environments.${env.name}.mss` },
      },
    );
  return { env, mss: env.mss };
}

export const tokenFileOf = (env: ResolvedEnvironment, mss: MssConfig): string =>
  resolvePath(env.baseDir, mss.tokenFile ?? './.passerelle-mss-token.json');

/** The operator's CA bundle (`mss.ca`) as PEM, or undefined for the system's CAs. */
async function caPem(env: ResolvedEnvironment, mss: MssConfig): Promise<string | undefined> {
  if (mss.ca === undefined) return undefined;
  const certs = await readTrustFile(resolvePath(env.baseDir, mss.ca), `environments.${env.name}.mss.ca`);
  return certs.map((c) => c.toString()).join('\n');
}

export interface MssCliSession {
  readonly env: ResolvedEnvironment;
  readonly mss: MssConfig;
  /** Connection options of the operator's IMAP (`imap`) or SMTP (`smtp`) server. */
  connection(protocol: 'imap' | 'smtp'): MssConnectionOptions;
  /** Records the session's activity (the 15-minute idle rule spans commands); never throws. */
  done(): Promise<void>;
}

/**
 * Opens what a mail command needs: the CA, and the authentication — the TLS client certificate
 * (`auth: client-certificate`), a token handed in by the application (`--token-file`: a file
 * holding an access token, used until it expires), or the session `mss login` stored, with its
 * rules (refresh before expiry through PSC, closed after the idle and total limits).
 */
export async function openMssCliSession(
  ctx: CommandContext,
  options: { readonly tokenFile?: string | undefined } = {},
): Promise<MssCliSession> {
  const { env, mss } = await mssSettings(ctx);
  const lib = await import('../mss/index.ts');
  const ca = await caPem(env, mss);
  const base = (protocol: 'imap' | 'smtp', auth: MssAuth): MssConnectionOptions => ({
    url: protocol === 'imap' ? mss.imap : mss.smtp,
    mailbox: mss.mailbox,
    ...(ca === undefined ? {} : { ca }),
    auth,
    timeoutMs: (mss.timeoutSeconds ?? 30) * 1000,
  });
  if (mss.auth === 'client-certificate') {
    if (mss.clientCertificate === undefined)
      throw new PasserelleError(
        'ERR_CONFIG_INVALID',
        'auth: client-certificate needs mss.clientCertificate',
        {
          hint: `Set environments.${env.name}.mss.clientCertificate (the certificate the operator registered for the applicative mailbox).`,
          details: { setting: `environments.${env.name}.mss.clientCertificate` },
        },
      );
    const credential = await loadCredential(mss.clientCertificate, {
      baseDir: env.baseDir,
      env: ctx.processEnv,
      setting: `environments.${env.name}.mss.clientCertificate`,
    });
    const auth: MssAuth = { kind: 'external', cert: credential.certPem, key: credential.keyPem };
    return { env, mss, connection: (p) => base(p, auth), done: async () => {} };
  }
  const limits = lib.sessionLimitsFromConfig(mss.session);
  if (options.tokenFile !== undefined) {
    const token = await readSecret(
      { file: resolve(ctx.cwd, options.tokenFile) },
      { setting: '--token-file' },
    );
    const session = new lib.MssSession({
      tokens: lib.tokensFromAccessToken(token.trim(), ctx.clock),
      clock: ctx.clock,
      ...limits,
    });
    const auth: MssAuth = { kind: 'xoauth2', accessToken: () => session.accessToken() };
    return { env, mss, connection: (p) => base(p, auth), done: async () => {} };
  }
  const file = tokenFileOf(env, mss);
  const setting = `environments.${env.name}.mss.tokenFile`;
  const stored = await lib.loadSession(file, { setting });
  let client: Promise<import('../mss/index.ts').PscClient> | undefined;
  const session = new lib.MssSession({
    tokens: stored,
    clock: ctx.clock,
    ...limits,
    refresh: async (tokens) => {
      client ??= lib.discoverPscFromConfig(mss, {
        env: env.name,
        baseDir: env.baseDir,
        processEnv: ctx.processEnv,
        clock: ctx.clock,
      });
      return (await client).refresh(tokens);
    },
    onTokens: (tokens) => lib.saveSession(file, tokens, { lastActivityAt: ctx.clock.now(), setting }),
  });
  const auth: MssAuth = { kind: 'xoauth2', accessToken: () => session.accessToken() };
  return {
    env,
    mss,
    connection: (p) => base(p, auth),
    done: async () => {
      if (!session.closed) await lib.persistSession(file, session, { setting }).catch(() => undefined);
      if (client) await (await client.catch(() => undefined))?.close();
    },
  };
}
