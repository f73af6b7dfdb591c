import { stringify } from 'yaml';
import type { Config, CredentialRef, EnvironmentConfig } from '../config/schema.ts';
import type { OnboardAnswers, OnboardEnvironment } from './answers.ts';
import type { KitEntry, KitPurpose } from './kit.ts';

/**
 * The `passerelle.config.yaml` of the onboarding folder (docs/configuration.md): one entry per
 * environment wanted, on the extranet channel, with the kit's credential paths (relative to the
 * folder, where the file lives): `tls` for mutual TLS, `signing` for WS-Security signatures (the
 * eBox sender certificate where the kit has one, since the eBox reads the sender from the signing
 * certificate; else the TLS one for SOAP and MTOM), `oauth` for the client assertions. The `.crt` files do not exist
 * until the CA returns them; the file loads with loadConfig as it is.
 */
export function configSkeleton(answers: OnboardAnswers, kit: readonly KitEntry[]): Config {
  const ref = (environment: OnboardEnvironment, purpose: KitPurpose): CredentialRef | undefined => {
    const entry = kit.find((e) => e.environment === environment && e.purpose === purpose);
    return entry === undefined
      ? undefined
      : { cert: entry.certificate, key: entry.key, password: { file: entry.passwordFile } };
  };
  const wants = (s: OnboardAnswers['services'][number]) => answers.services.includes(s);
  const environments: Record<string, EnvironmentConfig> = {};
  for (const env of answers.environments) {
    const tls = ref(env, 'tls');
    const ebox = ref(env, 'ebox');
    const oauth = ref(env, 'oauth');
    const signing = ebox ?? (wants('soap') || wants('mtom') ? tls : undefined);
    const credentials: NonNullable<EnvironmentConfig['credentials']> = {
      ...(tls ? { tls } : {}),
      ...(signing ? { signing } : {}),
      ...(oauth ? { oauth } : {}),
    };
    environments[env] = {
      channel: 'extranet',
      ...(Object.keys(credentials).length ? { credentials } : {}),
      ...(oauth && answers.oauth?.clientId ? { oauth: { clientId: answers.oauth.clientId } } : {}),
    };
  }
  return {
    defaultEnv: answers.environments.includes('acpt') ? 'acpt' : answers.environments[0],
    institution: {
      cbe: answers.institution.cbe,
      name: answers.institution.name,
      application: answers.applications.cbss,
    },
    environments,
  };
}

/** The skeleton as YAML text, with a header saying what is left to do. */
export function configSkeletonYaml(answers: OnboardAnswers, kit: readonly KitEntry[]): string {
  const header = [
    `# Passerelle configuration for ${answers.institution.name} (CBE ${answers.institution.cbe}),`,
    '# written by `passerelle onboard init`. Paths are relative to this file.',
    '# Put each certificate the CA returns at its `cert` path (<env>/<purpose>.crt), then run',
    '# `passerelle doctor --env <env>`. docs/configuration.md describes every setting.',
    ...(answers.services.includes('ebox') && answers.services.some((s) => s === 'soap' || s === 'mtom')
      ? [
          '# signing is the eBox sender certificate where there is one (the eBox reads the sender from it):',
          '# KSZ-BCSS SOAP calls then sign with it too; point signing at <env>/tls.* if they must not.',
        ]
      : []),
    ...(answers.services.includes('sftp')
      ? ['# SFTP: add environments.<env>.sftp (user, key, hostKeys) once the account is given.']
      : []),
    ...(answers.services.some((s) => s === 'rest' || s === 'oauth') && !answers.oauth?.clientId
      ? ['# OAuth: set environments.<env>.oauth.clientId once the platform has registered it.']
      : []),
  ];
  return `${header.join('\n')}\n${stringify(configSkeleton(answers, kit), { lineWidth: 0 })}`;
}
