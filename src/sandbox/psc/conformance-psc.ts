import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { type Clock, systemClock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { ConformancePsc } from '../../mss/conformance/runner-types.ts';
import { writeSecretFile } from '../../secret-file.ts';
import { ensureSandboxPki, type ServerNames } from '../_state-pki.ts';
import { _bearer, _json, _MAX_BODY_BYTES, _sameSecret } from './_http.ts';
import { type PscStub, startPscStub } from './start-psc.ts';

/** The admin API of the conformance PSC, outside the realm path. */
export const CONFORMANCE_ADMIN_PATH = '/conformance/v1';
/** The introspection client the operator configures in its servers. */
export const CONFORMANCE_INTROSPECTION_CLIENT_ID = 'mss-operator';
const IDNAT = /^[0-9A-Za-z]{1,20}$/;
const MAILBOX = /^[^@\s]{1,64}@[^@\s]{1,190}$/;

export interface ConformancePscService {
  readonly stub: PscStub;
  /** The ConformancePsc a run in this process uses. */
  readonly psc: ConformancePsc;
  /** PEM of the CA of the PSC's TLS certificate: the operator's servers must trust it to introspect. */
  readonly caPem: string;
  readonly caFile: string;
  /** The file holding the admin secret a runner in another process presents (0600). */
  readonly adminSecretFile: string;
  readonly origin: string;
  close(): Promise<void>;
}

export interface ConformancePscOptions {
  readonly host: string;
  /** The name operators' servers reach the PSC at (issuer, URLs); default as the stub's. */
  readonly publicHost?: string;
  /** A fixed port, so the URLs an operator configured stay the same across restarts. */
  readonly port: number;
  /** Keys, TLS PKI and secrets persist here. */
  readonly stateDir: string;
  readonly log: Logger;
  readonly clock?: Clock;
  /**
   * Names the operators' servers reach the PSC at, besides localhost and 127.0.0.1: its TLS
   * certificate carries them (one of the state directory that lacks one is reissued, same CA).
   */
  readonly serverNames?: ServerNames;
  /** Token lifetime when a run does not say; default 300 s. */
  readonly accessTokenSeconds?: number;
}

async function ensureAdminSecret(file: string): Promise<string> {
  if (!existsSync(file)) await writeSecretFile(file, `${randomBytes(32).toString('base64url')}\n`);
  return readFileSync(file, 'utf8').trim();
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > _MAX_BODY_BYTES) {
        reject(new RangeError('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.once('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
    req.once('error', reject);
  });
}

/** The in-process ConformancePsc of a stub: professionals registered on demand. */
export function conformancePscOf(stub: PscStub): ConformancePsc {
  return {
    issuer: stub.issuer,
    mintToken: async (o) => {
      stub.registerProfessional({ rpps: o.idNat, name: `IdNat ${o.idNat}`, mailboxes: [o.mailbox] });
      return stub.mintAccessToken({
        rpps: o.idNat,
        ...(o.issuedAt === undefined ? {} : { issuedAt: o.issuedAt }),
        ...(o.expiresInSeconds === undefined ? {} : { expiresInSeconds: o.expiresInSeconds }),
      });
    },
    introspectionsOf: async (token) => {
      const jti = decodeJwt(token).jti;
      return typeof jti === 'string' ? stub.introspectionsOf(jti) : 0;
    },
  };
}

function adminRoutes(secret: string, stub: () => PscStub | undefined, log: Logger) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (!path.startsWith(`${CONFORMANCE_ADMIN_PATH}/`)) return false;
    const running = stub();
    const presented = _bearer(req);
    if (running === undefined || presented === undefined || !_sameSecret(presented, secret)) {
      req.resume();
      log.info({ path: path.slice(0, 100) }, 'conformance admin request refused');
      _json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer realm="conformance"' });
      return true;
    }
    const local = path.slice(CONFORMANCE_ADMIN_PATH.length);
    if (req.method === 'POST' && local === '/tokens') {
      const body = (await readJson(req).catch(() => undefined)) as Record<string, unknown> | undefined;
      const idNat = body?.['idNat'];
      const mailbox = body?.['mailbox'];
      const issuedAt = body?.['issuedAt'];
      const expires = body?.['expiresInSeconds'];
      if (
        typeof idNat !== 'string' ||
        !IDNAT.test(idNat) ||
        typeof mailbox !== 'string' ||
        !MAILBOX.test(mailbox) ||
        (issuedAt !== undefined && !Number.isSafeInteger(issuedAt)) ||
        (expires !== undefined &&
          (!Number.isInteger(expires) || (expires as number) < 1 || (expires as number) > 3600))
      ) {
        _json(res, 400, { error: 'invalid_request' });
        return true;
      }
      const token = await conformancePscOf(running).mintToken({
        idNat,
        mailbox,
        ...(issuedAt === undefined ? {} : { issuedAt: issuedAt as number }),
        ...(expires === undefined ? {} : { expiresInSeconds: expires as number }),
      });
      _json(res, 200, { access_token: token, token_type: 'Bearer' }, { 'cache-control': 'no-store' });
      return true;
    }
    const jti = /^\/introspections\/([\w-]{1,100})$/.exec(local)?.[1];
    if (req.method === 'GET' && jti !== undefined) {
      req.resume();
      _json(res, 200, { jti, count: running.introspectionsOf(jti) });
      return true;
    }
    req.resume();
    _json(res, 404, { error: 'not_found' });
    return true;
  };
}

/**
 * The Pro Santé Connect of the conformance application as a long-lived service: the sandbox's
 * PSC stub on a fixed port with keys, TLS PKI and the introspection secret persisted in
 * stateDir, so the issuer, introspection and JWKS URLs and the introspection credentials an
 * operator configured once stay valid across restarts. Professionals are registered as runs
 * need them (the target's IdNat and mailbox). An admin API under `/conformance/v1` (bearer:
 * the secret in `admin-secret`, 0600) lets a runner in another process mint tokens and read
 * introspection counts (`connectConformancePsc`).
 */
export async function startConformancePsc(o: ConformancePscOptions): Promise<ConformancePscService> {
  const clock = o.clock ?? systemClock;
  const pki = await ensureSandboxPki({
    dir: join(o.stateDir, 'pki'),
    clock,
    log: o.log,
    ...(o.serverNames ? { serverNames: o.serverNames } : {}),
  });
  const adminSecretFile = join(o.stateDir, 'admin-secret');
  const secret = await ensureAdminSecret(adminSecretFile);
  let started: PscStub | undefined;
  const stub = await startPscStub({
    host: o.host,
    ...(o.publicHost ? { publicHost: o.publicHost } : {}),
    port: o.port,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
    log: o.log,
    stateDir: join(o.stateDir, 'psc'),
    professionals: [],
    clients: [{ clientId: 'passerelle-conformance' }],
    ...(o.accessTokenSeconds ? { accessTokenSeconds: o.accessTokenSeconds } : {}),
    extraRoutes: adminRoutes(secret, () => started, o.log),
  });
  started = stub;
  return {
    stub,
    psc: conformancePscOf(stub),
    caPem: pki.ca.certPem,
    caFile: pki.caFile,
    adminSecretFile,
    origin: new URL(stub.issuer).origin,
    close: () => stub.close(),
  };
}
