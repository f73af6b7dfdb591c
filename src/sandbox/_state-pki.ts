import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import { createDevCa, type DevCa, loadDevCa } from '../pki/dev-ca.ts';
import { issueDevCertificate } from '../pki/dev-issue.ts';
import { loadCredential } from '../pki/load-credential.ts';
import { profileSubject, type Rdn } from '../pki/profiles.ts';
import { writeCredentialFiles } from '../pki/write-credential-files.ts';
import type { SandboxPki } from './module.ts';

/*
 * The only file that glues the sandbox to the development-PKI functions of src/pki. Layout of
 * `<stateDir>/pki/`:
 *   ca/                         the dev CA (createDevCa / loadDevCa); its password file
 *                               also protects the sandbox's own keystores
 *   server.{crt,key,p12}        TLS server certificate, SAN localhost + 127.0.0.1 (+ serverNames)
 *   platform-signing.*, sts.*   keys that sign SOAP replies and SAML assertions
 *   platform-signing.leaf.crt, sts.leaf.crt
 *                               their certificates ALONE (no CA): what clients pin
 *   partner.password            password of the partner keystores (mode 0600)
 *   partner-{tls,signing,oauth}.*  the partner's credentials, real profile subjects
 */

export const SANDBOX_PARTNER = Object.freeze({
  cbe: '0123456749',
  institution: 'Sandbox Partner',
  application: 'urn:be:fgov:ehealth:sandbox:partner',
  oauthClientId: 'sandbox-partner-0123456749',
});

/** The partner's subjects follow the real profiles (eBox: PROTOCOLS.md §2), env marker SIM. */
const partnerSubject = (profile: 'ebox' | 'oauth'): Rdn[] =>
  profileSubject(profile, {
    cbe: SANDBOX_PARTNER.cbe,
    institution: SANDBOX_PARTNER.institution,
    app: SANDBOX_PARTNER.application,
    env: 'SIM',
  });
const sandboxSubject = (ou: string, cn: string): Rdn[] => [
  ['C', 'BE'],
  ['O', 'Passerelle Sandbox'],
  ['OU', ou],
  ['CN', cn],
];

interface Spec {
  readonly name: string;
  readonly usage: Parameters<typeof issueDevCertificate>[1]['usage'];
  readonly subject: () => Rdn[];
  readonly keyType: 'rsa-2048' | 'ec-p256';
  readonly passwordFile: 'sandbox' | 'partner';
  readonly server?: boolean;
}

const SPECS = {
  server: {
    name: 'server',
    usage: 'tls-server',
    subject: () => sandboxSubject('TLS', 'localhost'),
    keyType: 'ec-p256',
    passwordFile: 'sandbox',
    server: true,
  },
  platformSigning: {
    name: 'platform-signing',
    usage: 'signing',
    subject: () => sandboxSubject('SOA Platform', 'sandbox platform signing'),
    keyType: 'rsa-2048',
    passwordFile: 'sandbox',
  },
  sts: {
    name: 'sts',
    usage: 'signing',
    subject: () => sandboxSubject('IAM', 'sandbox STS'),
    keyType: 'rsa-2048',
    passwordFile: 'sandbox',
  },
  partnerTls: {
    name: 'partner-tls',
    usage: 'tls-client-signing',
    subject: () => partnerSubject('ebox'),
    keyType: 'rsa-2048',
    passwordFile: 'partner',
  },
  partnerSigning: {
    name: 'partner-signing',
    usage: 'tls-client-signing',
    subject: () => partnerSubject('ebox'),
    keyType: 'rsa-2048',
    passwordFile: 'partner',
  },
  partnerOauth: {
    name: 'partner-oauth',
    usage: 'signing',
    subject: () => partnerSubject('oauth'),
    keyType: 'rsa-2048',
    passwordFile: 'partner',
  },
} as const satisfies Record<string, Spec>;

const VALIDITY_DAYS = 825;
/** A leaf that expires sooner than this is reissued on start. */
const RENEW_MS = 7 * 24 * 3600 * 1000;

function stateError(message: string, dir: string, cause: unknown): PasserelleError {
  const code = isPasserelleError(cause) ? ` (${cause.code})` : '';
  return new PasserelleError('ERR_SANDBOX_STATE', `${message}${code}`, {
    hint: `The sandbox state is damaged: delete ${dir} (a new development PKI is made on the next start) or give another --state-dir.`,
    details: { dir },
    cause,
  });
}

function ensurePasswordFile(path: string): string {
  if (!existsSync(path))
    writeFileSync(path, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  if (readFileSync(path, 'utf8').trim() === '') throw new TypeError(`empty password file ${path}`);
  return path;
}

function usable(credential: Credential, ca: Credential, now: number): boolean {
  const { certificate } = credential;
  return (
    certificate.checkIssued(ca.certificate) &&
    certificate.verify(ca.certificate.publicKey) &&
    Date.parse(certificate.validFrom) <= now &&
    Date.parse(certificate.validTo) - RENEW_MS > now
  );
}

/** The names a server certificate must carry: localhost and 127.0.0.1, and the extra ones asked for. */
export interface ServerNames {
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

function namesOf(extra: ServerNames | undefined): { dnsNames: string[]; ipAddresses: string[] } {
  return {
    dnsNames: [...new Set(['localhost', ...(extra?.dnsNames ?? [])])],
    ipAddresses: [...new Set(['127.0.0.1', ...(extra?.ipAddresses ?? [])])],
  };
}

/** The DNS names and IP addresses of a certificate's subjectAltName (kept when it is reissued). */
function sanOf(credential: Credential): ServerNames {
  const entries = (credential.certificate.subjectAltName ?? '').split(/,\s*/);
  const value = (prefix: string) =>
    entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
  return { dnsNames: value('DNS:'), ipAddresses: value('IP Address:') };
}

/** The names of `names` the certificate does not carry in its subjectAltName. */
function missingNames(credential: Credential, names: ReturnType<typeof namesOf>): string[] {
  const { certificate } = credential;
  return [
    ...names.dnsNames.filter((n) => certificate.checkHost(n, { subject: 'never' }) === undefined),
    ...names.ipAddresses.filter((ip) => certificate.checkIP(ip) === undefined),
  ];
}

function usableCa(ca: Credential, now: number): boolean {
  return Date.parse(ca.certificate.validFrom) <= now && Date.parse(ca.certificate.validTo) > now;
}

/**
 * Creates the development PKI of a sandbox state directory, or reloads it: the CA is kept
 * (same fingerprint across starts); a missing, expiring or foreign leaf is (re)issued, and so
 * is a server certificate that lacks one of `serverNames` (the names clients reach the server
 * at, besides localhost and 127.0.0.1). Damaged files give ERR_SANDBOX_STATE.
 */
export async function ensureSandboxPki({
  dir,
  clock,
  log,
  serverNames,
}: {
  dir: string;
  clock: Clock;
  log: Logger;
  serverNames?: ServerNames;
}): Promise<SandboxPki> {
  const names = namesOf(serverNames);
  const caDir = join(dir, 'ca');
  let ca: DevCa;
  let partnerPassword: string;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    partnerPassword = ensurePasswordFile(join(dir, 'partner.password'));
  } catch (cause) {
    throw stateError(`Cannot prepare the sandbox PKI directory ${dir}`, dir, cause);
  }
  if (existsSync(caDir)) {
    try {
      ca = await loadDevCa(caDir);
    } catch (cause) {
      throw stateError(`The development CA in ${caDir} cannot be loaded`, dir, cause);
    }
    if (!usableCa(ca.credential, clock.now())) {
      throw stateError(`The development CA in ${caDir} is not valid now`, dir, undefined);
    }
    log.info(
      { caFile: ca.certFile, fingerprint256: ca.credential.certificate.fingerprint256 },
      'development CA reloaded',
    );
  } else {
    try {
      ca = await createDevCa({ dir: caDir, clock, cn: 'Passerelle Sandbox Development CA' });
    } catch (cause) {
      throw stateError(`Cannot create the development CA in ${caDir}`, dir, cause);
    }
    log.info(
      { caFile: ca.certFile, fingerprint256: ca.credential.certificate.fingerprint256 },
      'development CA created',
    );
  }
  const passwords: Record<Spec['passwordFile'], string> = {
    sandbox: ca.passwordFile,
    partner: partnerPassword,
  };

  const ensure = async (spec: Spec): Promise<{ credential: Credential; p12: string; crt: string }> => {
    const p12 = join(dir, `${spec.name}.p12`);
    const crt = join(dir, `${spec.name}.crt`);
    const password = { file: passwords[spec.passwordFile] };
    let san = names;
    if (existsSync(p12)) {
      let credential: Credential;
      try {
        credential = await loadCredential({ p12, password });
      } catch (cause) {
        throw stateError(`The sandbox keystore ${p12} cannot be loaded`, dir, cause);
      }
      const usableNow = usable(credential, ca.credential, clock.now());
      const missing = usableNow && spec.server ? missingNames(credential, names) : [];
      if (usableNow && missing.length === 0) return { credential, p12, crt };
      if (missing.length > 0) {
        // The names it had stay: a name configured in a client before keeps working.
        const had = sanOf(credential);
        san = namesOf({
          dnsNames: [...names.dnsNames, ...(had.dnsNames ?? [])],
          ipAddresses: [...names.ipAddresses, ...(had.ipAddresses ?? [])],
        });
        log.info({ file: p12, missing }, 'server certificate lacks a name: reissued from the same CA');
      } else log.info({ file: p12 }, 'certificate expiring or not from the current CA: reissued');
    }
    const credential = await issueDevCertificate(ca, {
      usage: spec.usage,
      subject: spec.subject(),
      keyType: spec.keyType,
      ...(spec.server ? san : {}),
      validityDays: VALIDITY_DAYS,
      clock,
    });
    try {
      const secret = readFileSync(passwords[spec.passwordFile], 'utf8').replace(/\r?\n$/, '');
      await writeCredentialFiles(dir, spec.name, credential, { password: secret });
    } catch (cause) {
      throw stateError(`Cannot write the sandbox keystore ${p12}`, dir, cause);
    }
    return { credential, p12, crt };
  };

  /** The leaf alone, rewritten on every start: a pinned trust file must not carry the CA. */
  const pinFile = (name: string, credential: Credential): string => {
    const path = join(dir, `${name}.leaf.crt`);
    try {
      writeFileSync(path, credential.certificate.toString(), { mode: 0o644 });
    } catch (cause) {
      throw stateError(`Cannot write the pinned certificate ${path}`, dir, cause);
    }
    return path;
  };

  const [server, platformSigning, sts, tls, signing, oauth] = await Promise.all([
    ensure(SPECS.server),
    ensure(SPECS.platformSigning),
    ensure(SPECS.sts),
    ensure(SPECS.partnerTls),
    ensure(SPECS.partnerSigning),
    ensure(SPECS.partnerOauth),
  ]);
  return Object.freeze({
    dir,
    caFile: ca.certFile,
    ca: ca.credential,
    server: server.credential,
    platformSigning: platformSigning.credential,
    platformSigningFile: pinFile(SPECS.platformSigning.name, platformSigning.credential),
    sts: sts.credential,
    stsFile: pinFile(SPECS.sts.name, sts.credential),
    partner: Object.freeze({
      ...SANDBOX_PARTNER,
      tls: tls.credential,
      signing: signing.credential,
      oauth: oauth.credential,
      files: Object.freeze({
        tlsP12: tls.p12,
        signingP12: signing.p12,
        oauthP12: oauth.p12,
        passwordFile: passwords.partner,
      }),
    }),
  });
}
