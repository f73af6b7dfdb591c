import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildEnvelope } from '../../src/soap/build-envelope.ts';
import { parseEnvelope } from '../../src/soap/parse-envelope.ts';
import { parseSoapAction } from '../../src/soap/parse-soap-action.ts';
import { formatSoapAction } from '../../src/soap/soap-action.ts';
import { createDocument } from '../../src/xml/node.ts';

const TCS = 'http://kszbcss.fgov.be/intf/TestConnectionServiceService/v1';

test('builds a SOAP 1.1 envelope with the service namespace declared on the Envelope', () => {
  const xml = buildEnvelope({
    namespaces: { v1: TCS },
    body: (doc) => {
      const request = doc.createElementNS(TCS, 'v1:sendTestMessageRequest');
      const echo = doc.createElementNS(null, 'echo');
      echo.appendChild(doc.createTextNode('hello'));
      request.appendChild(echo);
      return request;
    },
  });
  assert.equal(
    xml,
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="${TCS}"><soapenv:Body><v1:sendTestMessageRequest><echo>hello</echo></v1:sendTestMessageRequest></soapenv:Body></soapenv:Envelope>`,
  );
  const parsed = parseEnvelope(xml);
  assert.equal(parsed.header, undefined);
  assert.equal(parsed.body.getElementsByTagName('echo')[0]?.textContent, 'hello');
});

test('an empty header builder gives an empty Header; foreign elements are imported', () => {
  const other = createDocument('urn:x', 'x:ping').documentElement!;
  const xml = buildEnvelope({ header: () => [], body: other, prefix: 's' });
  assert.equal(
    xml,
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/><s:Body><x:ping xmlns:x="urn:x"/></s:Body></s:Envelope>',
  );
  assert.ok(parseEnvelope(xml).header);
});

test('text that looks like markup stays text (no string splicing)', () => {
  const evil = '</echo></v1:x><soapenv:Body><evil/>&amp;';
  const xml = buildEnvelope({
    body: (doc) => {
      const echo = doc.createElementNS(null, 'echo');
      echo.appendChild(doc.createTextNode(evil));
      return echo;
    },
  });
  const parsed = parseEnvelope(xml);
  assert.equal(parsed.body.getElementsByTagName('echo')[0]?.textContent, evil);
  assert.equal(parsed.body.getElementsByTagName('evil').length, 0);
});

test('wrong use is a TypeError', () => {
  const body = () => [];
  assert.throws(() => buildEnvelope({ body, prefix: 'a b' }), TypeError);
  assert.throws(() => buildEnvelope({ body, prefix: 'xmlfoo' }), TypeError);
  assert.throws(() => buildEnvelope({ body, namespaces: { soapenv: 'urn:other' } }), TypeError);
  assert.throws(() => buildEnvelope({ body, namespaces: { v1: '' } }), TypeError);
  assert.throws(() => buildEnvelope({ body: 'text' as never }), TypeError);
});

test('SOAPAction is quoted on the way out and unquoted on the way in', () => {
  assert.equal(formatSoapAction('urn:be:fgov:ehealth:test'), '"urn:be:fgov:ehealth:test"');
  assert.equal(formatSoapAction(''), '""');
  assert.throws(() => formatSoapAction('a"b'), TypeError);
  assert.throws(() => formatSoapAction('a\r\nX-Injected: 1'), TypeError);
  assert.equal(parseSoapAction('"urn:x"'), 'urn:x');
  assert.equal(parseSoapAction(['"urn:y"']), 'urn:y');
  assert.equal(parseSoapAction('urn:z'), 'urn:z');
  assert.equal(parseSoapAction('""'), '');
  assert.equal(parseSoapAction(undefined), undefined);
});
