import { fileURLToPath } from 'node:url';
import { systemClock } from '../../clock.ts';
import { isPasserelleError } from '../../errors.ts';
import { findOperation, loadOpenApi } from '../../openapi/index.ts';
import type { SandboxContractEntry } from '../../sandbox/contracts/index.ts';
import { callSoap } from '../../services/call-soap.ts';
import { callOperation } from '../../services/rest/call-operation.ts';
import { createRestService } from '../../services/rest/create-rest-service.ts';
import { readWsdl, resolveOperation } from '../../wsdl/index.ts';
import { demoExpect } from '../_expect.ts';
import { withDemoServices } from '../_services.ts';
import type { DemoContext, DemoStep } from '../step.ts';

/** The contracts shipped in the package (`contracts/`), from src/demo/steps or dist/demo/steps. */
const CONTRACTS = fileURLToPath(new URL('../../../contracts/', import.meta.url));
const EBOX_WSDL = `${CONTRACTS}ebox/soap/be/socialsecurity/eboxmessage/v1/EboxMessage_v1.wsdl`;
const EBOX_SWAGGER = `${CONTRACTS}ebox/e-Box-Enterprise-swagger-v2.1-AP-Public.yaml`;
const PERSONS = `${CONTRACTS}examples/persons.openapi.yaml`;
/** The INSS the scenario files answer with a fault. */
const FAULT_INSS = '00000000097';
const SSIN = '85073003328';

/** What the demo sandbox serves besides its own services: the eBox contracts and the example. */
export function demoContracts(): SandboxContractEntry[] {
  return [
    { file: EBOX_WSDL, scenarios: `${CONTRACTS}ebox/EboxMessage.scenarios.yaml` },
    { file: EBOX_SWAGGER },
    { file: PERSONS, scenarios: `${CONTRACTS}examples/persons.scenarios.yaml` },
  ];
}

const NS = 'http://socialsecurity.be/eboxmessage/v1';
const TYPES = 'http://socialsecurity.be/eboxmessage/types/v1';
const getEboxInfo = (inss: string) =>
  `<v1:GetEboxInfoRequest xmlns:v1="${NS}" xmlns:t="${TYPES}"><t:EboxType>CITIZEN</t:EboxType><t:EboxID><t:INSS>${inss}</t:INSS></t:EboxID></v1:GetEboxInfoRequest>`;

async function _ebox(ctx: DemoContext, inss: string) {
  const model = await readWsdl(EBOX_WSDL);
  const op = resolveOperation(model, 'getEboxInfo');
  demoExpect(op.security === 'x509', 'the WSDL policy asks for an X.509 signature');
  const url = `${ctx.sandbox.endpoints['cbss.soap']}/EboxMessageService`;
  return withDemoServices(ctx, (s) =>
    callSoap(s, { url, action: op.soapAction, payload: { body: getEboxInfo(inss) }, security: 'x509' }),
  );
}

async function _rest<T>(
  ctx: DemoContext,
  fn: (s: Awaited<ReturnType<typeof createRestService>>) => Promise<T>,
) {
  // The sandbox authorization server judges assertion times on real time, like the rest flow.
  const service = await createRestService(ctx.environment, { clock: systemClock, processEnv: {} });
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}

const restRequests = (ctx: DemoContext): number => ctx.sandbox.modules['rest']?.stats?.()['requests'] ?? 0;

/**
 * Flow "contracts" (issue 19): the sandbox serves the eBox SOAP contract from its WSDL on the
 * SOA gateway (WS-Security verified, the body checked by libxml2 against the XSDs, a reply
 * generated from them and signed), the eBox REST swagger and the example persons contract
 * behind the authorization server (scopes enforced), and their scenario files' faults.
 */
export function contractSteps(): DemoStep[] {
  return [
    {
      id: 'contracts.soap',
      title: 'eBox getEboxInfo served from its WSDL on the SOA gateway: signed, XSD-checked, reply signed',
      async run(ctx) {
        const r = await _ebox(ctx, SSIN);
        const [reply] = r.body;
        demoExpect(reply?.includes('GetEboxInfoResponse') === true, 'the reply is a GetEboxInfoResponse');
        demoExpect(
          r.replySigner?.fingerprint256 === ctx.sandbox.pki.platformSigning.certificate.fingerprint256,
          'the reply is signed by the platform signing certificate',
        );
        return {
          checks: [
            'the request was built from EboxMessage_v1.wsdl (operation, SOAPAction, X.509 policy)',
            'the gateway verified the signature and validated the body with libxml2 against the eBox XSDs',
            'the reply generated from the XSDs came back signed by the platform key',
          ],
        };
      },
    },
    {
      id: 'contracts.rest',
      title:
        'Persons and eBox REST contracts: requests and replies checked against the contract, scopes asked',
      async run(ctx) {
        const persons = await loadOpenApi(PERSONS);
        const swagger = await loadOpenApi(EBOX_SWAGGER);
        const getPerson = findOperation(persons, 'getPerson');
        const result = await _rest(ctx, async (s) => {
          const person = await callOperation(s.rest(), persons, getPerson, { params: { ssin: SSIN } });
          const types = await callOperation(s.rest(), swagger, findOperation(swagger, 'getAllMessagesTypes'));
          const before = restRequests(ctx);
          const refused = await callOperation(s.rest(), persons, getPerson, { params: { ssin: 'abc' } }).then(
            () => undefined,
            (e: unknown) => e,
          );
          demoExpect(
            isPasserelleError(refused, 'ERR_CONTRACT_REQUEST_INVALID'),
            'an SSIN outside the pattern is refused before sending',
          );
          demoExpect(restRequests(ctx) === before, 'nothing was sent for the invalid request');
          return { person, types };
        });
        demoExpect(result.person.status === 200 && result.person.validated, 'getPerson answered 200, valid');
        demoExpect(
          result.types.status === 200 && result.types.validated,
          'getAllMessagesTypes answered 200, valid',
        );
        return {
          checks: [
            `getPerson: token with ${getPerson.scopes.join(' ')}, HTTP ${result.person.status}, request and reply valid`,
            `eBox getAllMessagesTypes (Swagger 2.0): HTTP ${result.types.status}, reply valid`,
            'an invalid SSIN was refused by the client (ERR_CONTRACT_REQUEST_INVALID), nothing sent',
          ],
        };
      },
    },
    {
      id: 'contracts.scenario-faults',
      title: 'Scenario faults: SOA-02002 from the eBox WSDL mock, a 404 problem from the persons mock',
      dependsOn: ['contracts.soap', 'contracts.rest'],
      async run(ctx) {
        const soap = await _ebox(ctx, FAULT_INSS).then(
          () => undefined,
          (e: unknown) => e,
        );
        demoExpect(isPasserelleError(soap, 'ERR_SOAP_FAULT'), 'the SOAP call fails with a SOAP fault');
        demoExpect(soap.details['soaCode'] === 'SOA-02002', 'the fault is SOA-02002 (retryable)');
        const persons = await loadOpenApi(PERSONS);
        const rest = await _rest(ctx, (s) =>
          callOperation(s.rest(), persons, findOperation(persons, 'getPerson'), {
            params: { ssin: FAULT_INSS },
          }).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
        demoExpect(isPasserelleError(rest, 'ERR_REST_NOT_FOUND'), 'the REST call fails with 404 not found');
        return {
          checks: [
            `getEboxInfo for ${FAULT_INSS}: ${soap.message}`,
            `getPerson ${FAULT_INSS}: ${rest.message}`,
          ],
        };
      },
    },
  ];
}
