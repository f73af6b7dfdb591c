/**
 * The contracts the openapi tests run on, and the independent peer: Python's jsonschema (Debian
 * python3-jsonschema) validating the same instances against the same converted schemas, one
 * process per contract for a whole batch.
 */
import { fileURLToPath } from 'node:url';
import { compilerFor } from '../../src/openapi/_schema-compiler.ts';
import { CONTRACT_URN } from '../../src/openapi/_schema-convert.ts';
import type { OpenApiContract } from '../../src/openapi/index.ts';
import { DEBIAN_PYTHON, runPeer } from '../_support/peers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The eBox REST contract (Swagger 2.0) shipped in contracts/ebox. */
export const EBOX_CONTRACT = `${root}contracts/ebox/e-Box-Enterprise-swagger-v2.1-AP-Public.yaml`;
export const PERSONS_CONTRACT = `${root}contracts/examples/persons.openapi.yaml`;
export const FIXTURES = `${root}test/openapi/fixtures/`;
export const LEGACY_CONTRACT = `${FIXTURES}legacy.openapi.yaml`;

/** Every contract the round-trip tests cover. */
export const ROUND_TRIP_CONTRACTS = [EBOX_CONTRACT, PERSONS_CONTRACT, LEGACY_CONTRACT];

export interface PeerCheck {
  readonly id: string;
  /** A contract schema (converted here, as the validator converts it). */
  readonly schema: unknown;
  readonly instance: unknown;
}

const SCRIPT = `
import json, sys
import jsonschema
data = json.load(sys.stdin)
urn, doc = data['urn'], data['document']
V = jsonschema.Draft202012Validator
fc = getattr(V, 'FORMAT_CHECKER', None) or jsonschema.FormatChecker()
try:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
    registry = Registry().with_resource(urn, Resource(contents=doc, specification=DRAFT202012))
    make = lambda s: V(s, registry=registry, format_checker=fc)
except ImportError:
    make = lambda s: V(s, resolver=jsonschema.RefResolver(base_uri='', referrer=s, store={urn: doc}), format_checker=fc)
out = []
for c in data['checks']:
    V.check_schema(c['schema'])
    errors = ['/' + '/'.join(map(str, e.absolute_path)) + ': ' + e.message[:200] for e in make(c['schema']).iter_errors(c['instance'])]
    out.append({'id': c['id'], 'errors': errors})
json.dump(out, sys.stdout)
`;

/** Runs every check in one python process; returns the failing ones (id: errors). */
export function peerValidate(
  contract: OpenApiContract,
  checks: readonly PeerCheck[],
): Record<string, string[]> {
  const compiler = compilerFor(contract.document);
  const input = JSON.stringify({
    urn: CONTRACT_URN,
    document: compiler.converted,
    checks: checks.map((c) => ({ id: c.id, schema: compiler.convert(c.schema), instance: c.instance })),
  });
  const r = runPeer(DEBIAN_PYTHON, ['-W', 'ignore', '-c', SCRIPT], input);
  if (r.status !== 0) throw new Error(`python jsonschema failed: ${r.stderr.slice(0, 2000)}`);
  const results = JSON.parse(r.stdout) as { id: string; errors: string[] }[];
  if (results.length !== checks.length) throw new Error('python jsonschema did not answer every check');
  return Object.fromEntries(results.filter((x) => x.errors.length > 0).map((x) => [x.id, x.errors]));
}
