import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/**
 * Independent peers (xmlsec1, xmllint, python3-xmlsec, python3-zeep, openssl, ...). Outside CI a missing
 * peer skips the test with a note; under CI=true a missing peer FAILS the test, because CI
 * installs every peer and a silent skip would hide a broken proof.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';
/** Debian's Chromium, driven by playwright-core (which downloads no browser of its own). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Debian's OpenSSH server binaries (openssh-server); tests start sshd on a loopback port. */
export const OPENSSH_SSHD = '/usr/sbin/sshd';
export const OPENSSH_SFTP_SERVER = '/usr/lib/openssh/sftp-server';
/** Debian's Dovecot (dovecot-imapd): tests start it on loopback ports with their own configuration. */
export const DOVECOT = '/usr/sbin/dovecot';

const cache = new Map<string, string | undefined>();

function probe(name: string, command: string, args: string[]): string | undefined {
  if (!cache.has(name)) {
    const r = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
    cache.set(
      name,
      r.status === 0
        ? undefined
        : `${command} ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim().slice(0, 200)}`,
    );
  }
  return cache.get(name);
}

const PEERS = {
  openssl: () => probe('openssl', 'openssl', ['version']),
  xmlsec1: () => probe('xmlsec1', 'xmlsec1', ['--version']),
  /** libxml2's xmllint (Debian libxml2-utils): XML Schema validation. */
  xmllint: () => probe('xmllint', 'xmllint', ['--version']),
  'python3-xmlsec': () => probe('python3-xmlsec', DEBIAN_PYTHON, ['-c', 'import xmlsec, lxml']),
  'python3-zeep': () => probe('python3-zeep', DEBIAN_PYTHON, ['-c', 'import zeep, zeep.wsse.signature']),
  chromium: () => probe('chromium', DEBIAN_CHROMIUM, ['--version']),
  /** OpenSSH's server (Debian openssh-server): `sshd -t` needs no config when given `-f /dev/null`. */
  sshd: () => probe('sshd', OPENSSH_SSHD, ['-V']),
  /** OpenSSH's sftp-server, the subsystem sshd runs. */
  'sftp-server': () => probe('sftp-server', 'test', ['-x', OPENSSH_SFTP_SERVER]),
  /** OpenSSH's clients (Debian openssh-client): `sftp` in batch mode, `ssh-keygen`. */
  sftp: () =>
    probe('sftp', 'test', ['-x', '/usr/bin/sftp']) ??
    probe('ssh-keygen', 'test', ['-x', '/usr/bin/ssh-keygen']),
  /** Dovecot's IMAP server with its oauth2 passdb (XOAUTH2 by token introspection). */
  dovecot: () => probe('dovecot', DOVECOT, ['--version']),
  /** Python's standard library imaplib and smtplib (Debian python3): independent mail clients. */
  'python3-mail': () => probe('python3-mail', DEBIAN_PYTHON, ['-c', 'import imaplib, smtplib, ssl']),
  /** Python's jsonschema (Debian python3-jsonschema): an independent JSON Schema validator (draft 4 to 2020-12). */
  'python3-jsonschema': () =>
    probe('python3-jsonschema', DEBIAN_PYTHON, ['-c', 'import jsonschema; jsonschema.Draft202012Validator']),
  /** Debian's poppler-utils: `pdftotext` reads a PDF's text, `pdftoppm` renders its pages. */
  poppler: () => probe('pdftotext', 'pdftotext', ['-v']) ?? probe('pdftoppm', 'pdftoppm', ['-v']),
} as const;

export type PeerName = keyof typeof PEERS;

/** Returns true when the peer is present; otherwise skips (locally) or fails (CI=true). */
export function requirePeer(t: TestContext, name: PeerName): boolean {
  const missing = PEERS[name]();
  if (missing === undefined) return true;
  if (process.env['CI'] === 'true')
    throw new Error(`independent peer ${name} is missing under CI=true: ${missing}`);
  t.skip(`peer ${name} not installed (${missing})`);
  return false;
}

/**
 * For a test with checks of its own besides the peer's: true when the peer is present;
 * otherwise a note (locally) or a failure (CI=true), and the caller leaves out the peer's part.
 */
export function peerPresent(t: TestContext, name: PeerName): boolean {
  const missing = PEERS[name]();
  if (missing === undefined) return true;
  if (process.env['CI'] === 'true')
    throw new Error(`independent peer ${name} is missing under CI=true: ${missing}`);
  t.diagnostic(`peer ${name} not installed (${missing}): its check is left out`);
  return false;
}

/** Runs a peer command synchronously, returning stdout/stderr/status. */
export function runPeer(command: string, args: string[], input?: string | Buffer) {
  const r = spawnSync(command, args, {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
