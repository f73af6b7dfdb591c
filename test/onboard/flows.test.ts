import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firewallFlows, flowRow, parseAnswers } from '../../src/onboard/index.ts';
import { withField } from './_answers.ts';

const answers = (services: string[], environments: string[]) =>
  parseAnswers(withField('environments', environments, withField('services', services)));

describe('firewall flows', () => {
  it('acpt soap is 85.91.184.103:4520 over HTTPS/TCP from the source IP and NAT', () => {
    const flows = firewallFlows(answers(['soap'], ['acpt']));
    assert.equal(flows.length, 1);
    const [flow] = flows;
    assert.equal(flow?.row, 1);
    assert.deepEqual(flow?.destination, {
      name: 'b2b-acpt.ksz-bcss.fgov.be',
      ip: '85.91.184.103',
      ipKnown: true,
      port: 4520,
    });
    assert.equal(flow?.protocol, 'HTTPS/TCP');
    assert.deepEqual(flow?.source, {
      name: 'ONT-APP-01',
      ips: ['10.20.30.40'],
      natIp: '193.191.210.7',
      port: 'any',
    });
    assert.equal(flow?.group, 'ACPT-CUSTOMER');
  });

  it('one row per (environment, port), numbered in form order, then the SFTP server by host name', () => {
    const flows = firewallFlows(
      answers(['sftp', 'rest', 'mtom', 'soap', 'oauth', 'ebox'], ['prod', 'test', 'acpt']),
    );
    assert.deepEqual(
      flows.map((f) => `${f.row} ${f.environment} ${f.destination.ip}:${f.destination.port}`),
      [
        '1 test 85.91.184.96:4520',
        '2 test 85.91.184.96:4522',
        '3 test 85.91.184.96:4543',
        '4 acpt 85.91.184.103:4520',
        '5 acpt 85.91.184.103:4522',
        '6 acpt 85.91.184.103:4543',
        '7 prod 85.91.184.102:4520',
        '8 prod 85.91.184.102:4522',
        '9 prod 85.91.184.102:4543',
        '10 all stransferv2.extranetssz.be:22',
      ],
    );
    const sftp = flows[9]!;
    assert.equal(sftp.destination.ipKnown, false);
    assert.equal(sftp.protocol, 'SFTP/TCP');
    assert.equal(sftp.group, 'TEST-CUSTOMER, ACPT-CUSTOMER, PROD-CUSTOMER');
    // The production REST host is inferred (the seed's erratum): the row carries the registry's note.
    assert.match(flows[8]!.note ?? '', /inferred/);
    assert.equal(flows[2]!.destination.name, 'b2b-test.ksz-bcss.fgov.be');
    assert.equal(flows[6]!.destination.name, 'b2b.ksz-bcss.fgov.be');
  });

  it('services without a port of their own (oauth, ebox) add no row; flowRow finds the row doctor names', () => {
    const flows = firewallFlows(answers(['rest', 'oauth', 'ebox'], ['acpt', 'prod']));
    assert.deepEqual(
      flows.map((f) => f.destination.port),
      [4543, 4543],
    );
    assert.equal(flowRow(flows, { host: '85.91.184.102', port: 4543 })?.row, 2);
    assert.equal(flowRow(flows, { host: 'b2b-acpt.ksz-bcss.fgov.be', port: 4543 })?.row, 1);
    assert.equal(flowRow(flows, { host: '85.91.184.102', port: 4520 }), undefined);
  });
});
