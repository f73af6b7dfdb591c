import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseHostKeyPins } from '../../src/sftp/host-key.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { requirePeer } from '../_support/peers.ts';
import { sshKeygen } from '../_support/sshd.ts';
import { tempDir } from '../_support/tmp.ts';

const endpoint = { host: 'sftp.example.be', port: 2222 };

function hostKey(t: Parameters<typeof tempDir>[0]) {
  const key = sshKeygen(tempDir(t), 'host', { type: 'ed25519' });
  const [type, b64] = readFileSync(`${key.path}.pub`, 'utf8').split(' ') as [string, string];
  return { ...key, type, b64, blob: Buffer.from(b64, 'base64') };
}

test('a SHA256 fingerprint as ssh-keygen -lf prints it pins the key (with or without padding)', (t) => {
  if (!requirePeer(t, 'sftp')) return;
  const key = hostKey(t);
  assert.ok(parseHostKeyPins([key.fingerprint], endpoint).matches(key.blob));
  assert.ok(parseHostKeyPins([`${key.fingerprint}=`], endpoint).matches(key.blob));
  assert.ok(!parseHostKeyPins([key.fingerprint], endpoint).matches(randomBytes(51)));
});

test('known_hosts lines: [host]:port, host lists, patterns; lines for other hosts do not apply', (t) => {
  if (!requirePeer(t, 'sftp')) return;
  const key = hostKey(t);
  const line = (hosts: string) => `${hosts} ${key.type} ${key.b64} comment`;
  assert.ok(parseHostKeyPins([line('[sftp.example.be]:2222')], endpoint).matches(key.blob));
  assert.ok(parseHostKeyPins([line('other,[sftp.example.be]:2222')], endpoint).matches(key.blob));
  assert.ok(parseHostKeyPins([line('[*.example.be]:2222')], endpoint).matches(key.blob));
  assert.equal(parseHostKeyPins([line('sftp.example.be')], endpoint).fingerprints.length, 0, 'port 22 only');
  assert.ok(parseHostKeyPins([line('sftp.example.be')], { ...endpoint, port: 22 }).matches(key.blob));
  assert.equal(
    parseHostKeyPins([line('[*.example.be]:2222,!sftp.example.be')], { ...endpoint, port: 22 }).fingerprints
      .length,
    0,
  );
  assert.deepEqual(parseHostKeyPins([line('[sftp.example.be]:2222')], endpoint).fingerprints, [
    key.fingerprint,
  ]);
});

test('hashed known_hosts hosts (|1|salt|hash, as ssh-keygen -H writes them) are supported', (t) => {
  if (!requirePeer(t, 'sftp')) return;
  const key = hostKey(t);
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update('[sftp.example.be]:2222').digest('base64');
  const pins = parseHostKeyPins([`|1|${salt.toString('base64')}|${hash} ${key.type} ${key.b64}`], endpoint);
  assert.ok(pins.matches(key.blob));
  assert.equal(
    parseHostKeyPins([`|1|${salt.toString('base64')}|${hash} ${key.type} ${key.b64}`], {
      ...endpoint,
      port: 22,
    }).fingerprints.length,
    0,
  );
});

test('unreadable pins are ERR_SFTP_HOST_KEY_INVALID', (t) => {
  if (!requirePeer(t, 'sftp')) return;
  const key = hostKey(t);
  for (const bad of [
    'SHA256:tooshort',
    'MD5:12:34',
    'nonsense',
    `host ssh-dss ${key.b64}`,
    `host ssh-rsa ${key.b64}`, // blob says ssh-ed25519
    'host ssh-ed25519 !!!notbase64',
    `@cert-authority *.example.be ${key.type} ${key.b64}`,
    `|1|onlysalt ${key.type} ${key.b64}`,
  ])
    throwsCode(() => parseHostKeyPins([bad], endpoint), 'ERR_SFTP_HOST_KEY_INVALID');
});
