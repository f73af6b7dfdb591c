import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { isPasserelleError } from '../../../src/errors.ts';
import { buildMtom } from '../../../src/soap/mtom/build-mtom.ts';
import { buildSwa } from '../../../src/soap/swa/build-swa.ts';
import { swaCall } from '../../../src/soap/swa/swa-call.ts';
import { createTransport } from '../../../src/transport/create-transport.ts';
import { testPki } from '../../_support/credentials.ts';
import { startTlsServer } from '../../transport/_tls-server.ts';
import { collect } from '../mtom/_helpers.ts';

const ENVELOPE =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><t:put xmlns:t="urn:test"><t:doc>cid:doc1@test</t:doc></t:put></soapenv:Body></soapenv:Envelope>';

test('buildSwa: multipart/related type="text/xml" with start and no start-info, root text/xml; charset=UTF-8, each part with its Content-ID and type, Content-Length exact', async () => {
  const data = Buffer.from('%PDF-1.4 hello\r\n--not-a-boundary\r\n');
  const pkg = await buildSwa(
    ENVELOPE,
    [{ contentId: 'doc1@test', contentType: 'application/pdf', source: { data } }],
    {
      boundary: 'b0undary',
      rootContentId: 'root@test',
    },
  );
  assert.equal(
    pkg.contentType,
    'multipart/related; type="text/xml"; boundary="b0undary"; start="<root@test>"',
  );
  const bytes = await collect(pkg.body);
  assert.equal(pkg.contentLength, bytes.length);
  assert.equal(
    bytes.toString('latin1'),
    '--b0undary\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root@test>\r\n\r\n' +
      `${ENVELOPE}\r\n` +
      '--b0undary\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc1@test>\r\n\r\n' +
      `${data.toString('latin1')}\r\n--b0undary--\r\n`,
  );
});

test('buildMtom keeps its XOP packaging by default (the SwA option is backward compatible)', async () => {
  const pkg = await buildMtom(ENVELOPE, [], { boundary: 'bb', rootContentId: 'r@t' });
  assert.match(pkg.contentType, /type="application\/xop\+xml"/);
  assert.match(pkg.contentType, /start-info="text\/xml"/);
  assert.match(
    (await collect(pkg.body)).toString(),
    /Content-Type: application\/xop\+xml; charset=UTF-8; type="text\/xml"/,
  );
  await assert.rejects(buildMtom(ENVELOPE, [], { packaging: 'x' as 'xop' }), TypeError);
});

test('buildSwa: a part whose size changes while it is sent fails the stream (never a silently short package)', async () => {
  const source = { open: () => Readable.from([Buffer.alloc(10)]), size: 20 };
  const pkg = await buildSwa(ENVELOPE, [{ contentId: 'doc1@test', source }]);
  assert.equal(pkg.contentLength !== undefined, true);
  await assert.rejects(collect(pkg.body), /changed size/);
});

test('swaCall posts the package and maps a fault through faultToError, or through mapFault', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, {
    cert: pki.server,
    handler: (_req, res) => {
      res
        .writeHead(500, { 'content-type': 'text/xml' })
        .end(
          '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>SOA-02001: down</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
        );
    },
  });
  const transport = createTransport({ ca: pki.ca.certPem });
  t.after(() => transport.close());
  const url = `${server.url}svc`;
  const attachments = [
    { contentId: 'doc1@test', contentType: 'text/plain', source: { data: Buffer.from('abc') } },
  ];
  await assert.rejects(swaCall(transport, url, { action: '', envelope: ENVELOPE, attachments }), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_SOAP_FAULT'), String(e));
    assert.equal(e.details['soaCode'], 'SOA-02001');
    return true;
  });
  await assert.rejects(
    swaCall(transport, url, {
      action: 'urn:a',
      envelope: ENVELOPE,
      attachments,
      mapFault: (r) => new Error(r.fault!.faultstring),
    }),
    /SOA-02001: down/,
  );
  const seen = server.requests;
  assert.equal(seen.length, 2);
  assert.match(String(seen[0]!.headers['content-type']), /^multipart\/related; type="text\/xml"/);
  assert.equal(seen[0]!.headers['soapaction'], '""');
  assert.equal(seen[1]!.headers['soapaction'], '"urn:a"');
  assert.equal(Number(seen[0]!.headers['content-length']), seen[0]!.body.length);
  assert.match(seen[0]!.body.toString(), /\r\n\r\nabc\r\n--/);
});
