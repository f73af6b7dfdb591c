import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import { requestTemplate } from '../../src/wsdl/request-template.ts';
import { resolveOperation } from '../../src/wsdl/resolve-operation.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { tempDir } from '../_support/tmp.ts';
import { EBOX_V1, miniWsdl, writeFiles } from './_helpers.ts';

const ebox = await readWsdl(join(EBOX_V1, 'EboxMessageVarA_v1.wsdl'));

test('resolveOperation: what soap call needs for an eBox operation', () => {
  assert.deepEqual(resolveOperation(ebox, 'publishEboxMessage'), {
    operation: 'publishEboxMessage',
    service: 'EboxMessageService',
    port: 'EboxMessageSOAP11',
    address: 'https://REPLACE_WITH_ACTUAL_URL',
    soapAction: '',
    soapVersion: '1.1',
    security: 'x509',
    algorithmSuite: 'Basic256Sha256',
    inputElement: { ns: 'http://socialsecurity.be/eboxmessage/v1', name: 'PublishEboxMessageRequest' },
  });
  assert.equal(
    resolveOperation(ebox, 'healthCheck', { port: 'EboxMessageService/EboxMessageSOAP11' }).soapAction,
    'http://socialsecurity.be/eboxmessage/v1/healthCheck',
  );
});

test('an unknown operation is ERR_WSDL_OPERATION_NOT_FOUND; its hint lists the operations', () => {
  throwsCode(() => resolveOperation(ebox, 'publishMessage'), 'ERR_WSDL_OPERATION_NOT_FOUND');
  throwsCode(() => requestTemplate(ebox, 'publishMessage'), 'ERR_WSDL_OPERATION_NOT_FOUND');
  assert.throws(
    () => resolveOperation(ebox, 'publishMessage'),
    (e: Error & { hint?: string }) =>
      e.hint ===
      'Operations: commitLinkEboxMessage, getEboxInfo, getMessageStatus, hasAnEbox, healthCheck, linkEboxMessage, publishEboxMessage, storeEboxMessage.',
  );
});

test('ports that differ need --port (ERR_WSDL_OPERATION_AMBIGUOUS); ports that agree are one; an unknown port is coded', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'two.wsdl': miniWsdl({
      ports: [
        { name: 'Acpt', address: 'https://acpt.example.test/svc' },
        { name: 'Prod', address: 'https://prod.example.test/svc' },
      ],
    }),
    'same.wsdl': miniWsdl({
      ports: [
        { name: 'A', address: 'https://example.test/svc' },
        { name: 'B', address: 'https://example.test/svc' },
      ],
    }),
  });
  const two = await readWsdl(join(dir, 'two.wsdl'));
  throwsCode(() => resolveOperation(two, 'op'), 'ERR_WSDL_OPERATION_AMBIGUOUS');
  throwsCode(() => requestTemplate(two, 'op'), 'ERR_WSDL_OPERATION_AMBIGUOUS');
  assert.throws(
    () => resolveOperation(two, 'op'),
    (e: Error & { hint?: string }) =>
      /S\/Acpt → https:\/\/acpt\.example\.test\/svc/.test(e.hint ?? '') && /S\/Prod/.test(e.hint ?? ''),
  );
  assert.equal(resolveOperation(two, 'op', { port: 'Prod' }).address, 'https://prod.example.test/svc');
  assert.equal(requestTemplate(two, 'op', { port: 'S/Acpt' }), '<tns:Req xmlns:tns="urn:t">?</tns:Req>');
  throwsCode(() => resolveOperation(two, 'op', { port: 'Test' }), 'ERR_WSDL_PORT_NOT_FOUND');

  const same = await readWsdl(join(dir, 'same.wsdl'));
  assert.equal(resolveOperation(same, 'op').port, 'A');
});

test('an operation without a single request element is ERR_WSDL_UNSUPPORTED', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': miniWsdl().replace('<wsdl:part name="body" element="tns:Req"/>', ''),
  });
  throwsCode(() => resolveOperation(ebox, 'x'), 'ERR_WSDL_OPERATION_NOT_FOUND');
  const model = await readWsdl(join(dir, 'a.wsdl'));
  throwsCode(() => resolveOperation(model, 'op'), 'ERR_WSDL_UNSUPPORTED');
});
