/**
 * driveSandboxLogin: completes a login at the stub without a browser (the success path is in
 * start-psc.test.ts and authorization.test.ts); its failures are ERR_MSS_LOGIN_FAILED with the
 * reason in details: a professional the page does not offer, a stub it cannot reach or whose
 * certificate the pinned CA does not vouch for, a server that redirects without end.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { driveSandboxLogin } from '../../../src/sandbox/psc/drive-login.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { testPki } from '../../_support/credentials.ts';
import { authorizationRequest, rp, startStub } from './_stub.ts';

const s = await startStub({ after });
const config = await rp(s);
const LOOPBACK = 'http://127.0.0.1:50000/cb';

test('a professional the page does not offer', async () => {
  const { url } = await authorizationRequest(config, LOOPBACK);
  const e = await rejectsCode(
    driveSandboxLogin(url.href, '19999999993', { ca: s.ca }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(e.details['rpps'], '19999999993');
});

test('a CA that does not vouch for the stub: refused before anything is sent', async () => {
  const pki = await testPki();
  const { url } = await authorizationRequest(config, LOOPBACK);
  const e = await rejectsCode(
    driveSandboxLogin(url.href, '10001234565', { ca: pki.rogueCa.certPem }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(typeof e.details['reason'], 'string');
  assert.equal(s.stub.stats()['logins'], 0);
});

test('a stub that is not there: ERR_MSS_LOGIN_FAILED, reason ECONNREFUSED', async (t) => {
  const gone = await startStub(t);
  const url = new URL(gone.stub.endpoints.authorization);
  await gone.stub.close();
  const e = await rejectsCode(
    driveSandboxLogin(url.href, '10001234565', { ca: s.ca }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(e.details['reason'], 'ECONNREFUSED');
});

test('a server that redirects to itself without end: stopped after 10 hops', async (t) => {
  const pki = await testPki();
  let hits = 0;
  const loop = createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (req, res) => {
    hits++;
    res.writeHead(302, { location: `/again?n=${hits}` }).end();
    req.resume();
  });
  await new Promise<void>((resolve) => loop.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => loop.close(() => resolve())));
  const url = `https://127.0.0.1:${(loop.address() as AddressInfo).port}/start`;
  const e = await rejectsCode(driveSandboxLogin(url, '10001234565', { ca: s.ca }), 'ERR_MSS_LOGIN_FAILED');
  assert.match(e.message, /redirects/);
  assert.equal(hits, 10);
});
