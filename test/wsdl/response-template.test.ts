import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import { responseTemplate } from '../../src/wsdl/response-template.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { tempDir } from '../_support/tmp.ts';
import { CONTRACTS, miniWsdl, writeFiles } from './_helpers.ts';

test('responseTemplate: the output element of the operation (eBox publishEboxMessage), exact', async () => {
  const model = await readWsdl(
    join(CONTRACTS, 'ebox/soap/be/socialsecurity/eboxmessage/v1/EboxMessage_v1.wsdl'),
  );
  const xml = responseTemplate(model, 'publishEboxMessage');
  assert.equal(
    xml,
    `<ns1:PublishEboxMessageResponse xmlns:ns1="http://socialsecurity.be/eboxmessage/v1" xmlns:types="http://socialsecurity.be/eboxmessage/types/v1">
  <types:ID>?</types:ID>
</ns1:PublishEboxMessageResponse>`,
  );
  throwsCode(() => responseTemplate(model, 'nope'), 'ERR_WSDL_OPERATION_NOT_FOUND');
});

test('responseTemplate: a one-way operation has none (ERR_WSDL_UNSUPPORTED); RPC/literal: the <operation>Response wrapper', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'oneway.wsdl': miniWsdl(),
    'rpc.wsdl': miniWsdl()
      .replace('<wsdl:part name="body" element="tns:Req"/>', '<wsdl:part name="who" type="xs:string"/>')
      .replace(
        '<wsdl:input message="tns:In"/></wsdl:operation>',
        '<wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation>',
      )
      .replace(
        '<wsdl:portType',
        '<wsdl:message name="Out"><wsdl:part name="count" type="xs:int"/></wsdl:message><wsdl:portType',
      )
      .replace('style="document"', 'style="rpc"')
      .replace(
        '<soap:body use="literal"/></wsdl:input>',
        '<soap:body use="literal" namespace="urn:rpc"/></wsdl:input><wsdl:output><soap:body use="literal" namespace="urn:rpc"/></wsdl:output>',
      ),
  });
  const oneway = await readWsdl(join(dir, 'oneway.wsdl'));
  const rpc = await readWsdl(join(dir, 'rpc.wsdl'));
  throwsCode(() => responseTemplate(oneway, 'op'), 'ERR_WSDL_UNSUPPORTED');
  assert.equal(
    responseTemplate(rpc, 'op'),
    '<ns1:opResponse xmlns:ns1="urn:rpc">\n  <count>0</count>\n</ns1:opResponse>',
  );
});
