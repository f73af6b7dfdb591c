import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { _blobKeyType } from './_fingerprint.ts';

/** The OpenSSH SHA-256 fingerprint of a public key blob: `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints it. */
export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The server a set of pins is checked for (known_hosts lines name hosts). */
export interface HostKeyEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Pinned host keys for one server, parsed from the configuration. */
export interface HostKeyPins {
  /** Every pinned `SHA256:` fingerprint that applies to this server (possibly none). */
  readonly fingerprints: readonly string[];
  /** Whether a presented host key blob is one of the pins. */
  matches(blob: Uint8Array): boolean;
}

const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

const invalid = (index: number, reason: string) =>
  new PasserelleError(
    'ERR_SFTP_HOST_KEY_INVALID',
    `Pinned host key #${index + 1} cannot be read: ${reason}`,
    {
      details: { index, reason },
    },
  );

/** The known_hosts name of an endpoint: `host` on port 22, else `[host]:port`. */
const knownHostsName = ({ host, port }: HostKeyEndpoint) => (port === 22 ? host : `[${host}]:${port}`);

function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** Whether a known_hosts host field (patterns, `!` negations, or one hashed `|1|` entry) names the endpoint. */
function hostFieldMatches(field: string, endpoint: HostKeyEndpoint, index: number): boolean {
  const name = knownHostsName(endpoint);
  if (field.startsWith('|1|')) {
    const [salt, hash] = field.slice(3).split('|');
    if (!salt || !hash) throw invalid(index, 'a hashed host that is not |1|salt|hash');
    const want = Buffer.from(hash, 'base64');
    const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false;
    } else if (globMatch(pattern, name)) matched = true;
  }
  return matched;
}

function parseBlob(text: string, declared: string, index: number): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw invalid(index, 'the key is not base64');
  const blob = Buffer.from(text, 'base64');
  const type = _blobKeyType(blob);
  if (type !== declared)
    throw invalid(index, `the key blob is of type ${type ?? 'unknown'}, not ${declared}`);
  return blob;
}

/**
 * Parses pinned host keys for one server. Each entry is either an OpenSSH SHA-256 fingerprint
 * (`SHA256:<base64>`, as `ssh-keygen -lf` prints it; padding optional) or a known_hosts line
 * (`host[,host2] keytype base64 [comment]`, `[host]:port keytype base64`, host patterns with `*`,
 * `?` and `!`, and hashed `|1|salt|hash` hosts, which are supported). A known_hosts line for
 * another host does not apply (it is skipped); `@cert-authority` and `@revoked` lines are refused.
 * Throws ERR_SFTP_HOST_KEY_INVALID for an entry it cannot read.
 */
export function parseHostKeyPins(entries: readonly string[], endpoint: HostKeyEndpoint): HostKeyPins {
  const fingerprints = new Set<string>();
  entries.forEach((raw, index) => {
    const entry = raw.trim();
    const fp = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(entry);
    if (fp) {
      fingerprints.add(`SHA256:${fp[1]}`);
      return;
    }
    if (/^(SHA256|MD5|SHA1):/i.test(entry))
      throw invalid(index, 'a fingerprint that is not SHA256:<43 base64 characters>');
    const fields = entry.split(/\s+/);
    if (fields[0]?.startsWith('@')) throw invalid(index, `${fields[0]} lines are not supported`);
    const [hosts, type, key] = fields;
    if (!hosts || !type || !key) throw invalid(index, 'neither a SHA256: fingerprint nor a known_hosts line');
    if (!KEY_TYPES.has(type)) throw invalid(index, `unsupported key type ${type}`);
    const blob = parseBlob(key, type, index);
    if (hostFieldMatches(hosts, endpoint, index)) fingerprints.add(sshFingerprint(blob));
  });
  const list = [...fingerprints];
  return Object.freeze({
    fingerprints: list,
    matches: (blob: Uint8Array) => fingerprints.has(sshFingerprint(blob)),
  });
}
