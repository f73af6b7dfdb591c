/**
 * Scenario files: each mistake is ERR_CONTRACT_SCENARIO_INVALID whose details.errors names the
 * place in the file; files given apart from their contract are paired by their `contract` key.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadSandboxContracts } from '../../../src/sandbox/contracts/index.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { tempDir } from '../../_support/tmp.ts';
import { CONTRACT_FILES, writeScenarios } from './_start.ts';

const dir = tempDir({ after }, 'passerelle-scenarios-');
let n = 0;
const file = (yaml: string) => writeScenarios(dir, `s${n++}.yaml`, yaml);

/** Loads `yaml` as the scenarios of `contract` and returns details.errors of the refusal. */
async function refused(yaml: string, contract: 'persons' | 'wsdl' = 'persons'): Promise<readonly string[]> {
  const entry = {
    file: contract === 'persons' ? CONTRACT_FILES.persons : CONTRACT_FILES.eboxWsdl,
    scenarios: file(yaml),
  };
  const error = await rejectsCode(loadSandboxContracts([entry]), 'ERR_CONTRACT_SCENARIO_INVALID');
  assert.equal(error.details['file'], entry.scenarios);
  return error.details['errors'] as readonly string[];
}

const rest = (scenario: string) => `contract: persons\nscenarios:\n${scenario}`;
const getPerson = (more: string) =>
  rest(`  - name: one\n    operation: getPerson\n    reply: { status: 200, body: {} }\n${more}`);

test('YAML syntax errors and a wrong shape name the place', async () => {
  const syntax = await refused('contract: persons\nscenarios: [\n');
  assert.match(syntax[0] ?? '', /^line \d+: /);
  assert.match((await refused('contract: persons\nscenarios: {}\n'))[0] ?? '', /^scenarios: /);
  const unknownKey = await refused(getPerson('    whn: []\n'));
  assert.ok(
    unknownKey.some((e) => e.startsWith('scenarios.0:') && e.includes('whn')),
    unknownKey.join('\n'),
  );
  const noReply = await refused(rest('  - name: one\n    operation: getPerson\n'));
  assert.ok(
    noReply.some((e) => e.startsWith('scenarios.0.reply:')),
    noReply.join('\n'),
  );
  const status = await refused(rest('  - name: one\n    operation: getPerson\n    reply: { status: 99 }\n'));
  assert.ok(
    status.some((e) => e.startsWith('scenarios.0.reply.status:')),
    status.join('\n'),
  );
});

test('the contract name and the operations are checked against the contract', async () => {
  const name = await refused(getPerson('').replace('contract: persons', 'contract: people'));
  assert.ok(
    name.some((e) => e.startsWith('contract:') && e.includes('"persons"')),
    name.join('\n'),
  );
  const op = await refused(getPerson('').replace('operation: getPerson', 'operation: getPeople'));
  assert.ok(
    op.some((e) => e.startsWith('scenarios.0.operation:') && e.includes('getPeople')),
    op.join('\n'),
  );
});

test('conditions: one test each, a valid bounded regex, a supported JSONPath', async () => {
  const two = await refused(
    getPerson('    when:\n      - { path: $.path.ssin, equals: "1", exists: true }\n'),
  );
  assert.ok(
    two.some((e) => e.startsWith('scenarios.0.when.0:') && /exactly one/.test(e)),
    two.join('\n'),
  );
  const regex = await refused(getPerson('    when:\n      - { path: $.path.ssin, matches: "([a-" }\n'));
  assert.ok(
    regex.some((e) => e.startsWith('scenarios.0.when.0.matches: invalid regular expression')),
    regex.join('\n'),
  );
  const long = await refused(
    getPerson(`    when:\n      - { path: $.path.ssin, matches: "${'a'.repeat(201)}" }\n`),
  );
  assert.ok(
    long.some((e) => e.startsWith('scenarios.0.when.0.matches:')),
    long.join('\n'),
  );
  const path = await refused(getPerson('    when:\n      - { path: "$..ssin", exists: true }\n'));
  assert.ok(
    path.some((e) => e.startsWith('scenarios.0.when.0.path:')),
    path.join('\n'),
  );
  const xpath = await refused(getPerson('    when:\n      - { xpath: /a, exists: true }\n'));
  assert.ok(
    xpath.some((e) => e.startsWith('scenarios.0.when.0:') && e.includes('xpath')),
    xpath.join('\n'),
  );
});

test('replies: bounded delay, no reserved header, a text body for a non-JSON type', async () => {
  const delay = await refused(getPerson('    delayMs: 60001\n'));
  assert.ok(
    delay.some((e) => e.startsWith('scenarios.0.delayMs:')),
    delay.join('\n'),
  );
  const header = await refused(
    rest(
      '  - name: one\n    operation: getPerson\n    reply: { status: 200, headers: { Content-Length: "3" } }\n',
    ),
  );
  assert.ok(
    header.some((e) => e.startsWith('scenarios.0.reply.headers.Content-Length:')),
    header.join('\n'),
  );
  const body = await refused(
    rest(
      '  - name: one\n    operation: getPerson\n    reply: { status: 200, contentType: text/plain, body: { a: 1 } }\n',
    ),
  );
  assert.ok(
    body.some((e) => e.startsWith('scenarios.0.reply.body:')),
    body.join('\n'),
  );
});

test('SOAP scenarios: one outcome, a platform code, well-formed XML, a supported XPath', async () => {
  const soap = (s: string) =>
    `contract: EboxMessageService\nscenarios:\n  - name: one\n    operation: getEboxInfo\n${s}`;
  const both = await refused(soap('    fault: SOA-02002\n    reply: { xml: "<a/>" }\n'), 'wsdl');
  assert.ok(
    both.some((e) => e.startsWith('scenarios.0:') && /exactly one of reply/.test(e)),
    both.join('\n'),
  );
  const code = await refused(soap('    fault: SOA-99999\n'), 'wsdl');
  assert.ok(
    code.some((e) => e.startsWith('scenarios.0.fault:')),
    code.join('\n'),
  );
  const xml = await refused(soap('    reply: { xml: "<a><b></a>" }\n'), 'wsdl');
  assert.ok(
    xml.some((e) => e.startsWith('scenarios.0.reply.xml: not well-formed')),
    xml.join('\n'),
  );
  const detail = await refused(
    soap('    businessFault: { faultcode: Client, faultstring: x, detail: "<!DOCTYPE a><a/>" }\n'),
    'wsdl',
  );
  assert.ok(
    detail.some((e) => e.startsWith('scenarios.0.businessFault.detail:')),
    detail.join('\n'),
  );
  const xpath = await refused(
    soap('    fault: SOA-02002\n    when:\n      - { xpath: "//a[1]", exists: true }\n'),
    'wsdl',
  );
  assert.ok(
    xpath.some((e) => e.startsWith('scenarios.0.when.0.xpath:')),
    xpath.join('\n'),
  );
  const path = await refused(
    soap('    fault: SOA-02002\n    when:\n      - { path: $.a, exists: true }\n'),
    'wsdl',
  );
  assert.ok(
    path.some((e) => e.startsWith('scenarios.0.when.0:')),
    path.join('\n'),
  );
});

test('files given apart are paired by their contract key; one naming no contract is refused', async () => {
  const contracts = await loadSandboxContracts(
    [{ file: CONTRACT_FILES.persons }, { file: CONTRACT_FILES.eboxWsdl }],
    {
      scenarios: [
        file(getPerson('')),
        file(
          'contract: EboxMessage_v1.wsdl\nscenarios:\n  - { name: busy, operation: healthCheck, fault: SOA-02002 }\n',
        ),
      ],
    },
  );
  assert.deepEqual(
    contracts.describe().map((d) => [d.name, d.scenarios, d.scenarioFiles.length]),
    [
      ['persons', 1, 1],
      ['EboxMessageService', 1, 1],
    ],
  );
  const stray = file(getPerson('').replace('contract: persons', 'contract: nobody'));
  const error = await rejectsCode(
    loadSandboxContracts([{ file: CONTRACT_FILES.persons }], { scenarios: [stray] }),
    'ERR_CONTRACT_SCENARIO_INVALID',
  );
  assert.equal(error.details['file'], stray);
  assert.match(
    String((error.details['errors'] as string[])[0]),
    /^contract: no contract served is named "nobody" \(served: persons\)/,
  );
});
