/**
 * Every operation of the eBox contract (Swagger 2.0), the persons example (3.1) and the legacy
 * fixture (3.0): requestTemplate → buildRequest → validator.request gives no issue, and
 * sampleResponse → validator.response gives no issue; then the same instances are checked by an
 * independent validator (Python's jsonschema), one process per contract.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyInstance, coerceValue } from '../../src/openapi/_coerce.ts';
import { isJsonMedia } from '../../src/openapi/_json.ts';
import { mediaFor, responseFor } from '../../src/openapi/_media.ts';
import {
  buildRequest,
  createContractValidator,
  loadOpenApi,
  requestTemplate,
  sampleResponse,
} from '../../src/openapi/index.ts';
import { requirePeer } from '../_support/peers.ts';
import { type PeerCheck, peerValidate, ROUND_TRIP_CONTRACTS } from './_contracts.ts';

for (const file of ROUND_TRIP_CONTRACTS) {
  describe(`round trip: ${file.split('/').pop()}`, () => {
    it('every operation: the template request and the sample response satisfy the contract, for ajv and for python jsonschema', async (t) => {
      const contract = await loadOpenApi(file);
      const validator = createContractValidator(contract);
      const doc = contract.document;
      const checks: PeerCheck[] = [];
      assert.ok(contract.operations.length >= 2);
      for (const op of contract.operations) {
        const template = requestTemplate(contract, op);
        const req = buildRequest(contract, op, {
          params: template.params,
          body: template.body,
          ...(template.contentType === undefined ? {} : { contentType: template.contentType }),
        });
        assert.deepEqual(validator.request(op, req), [], `request of ${op.operationId}`);
        assert.doesNotMatch(req.path, /[{}]/, `${op.operationId}: every path parameter substituted`);
        for (const p of op.parameters) {
          const raw =
            p.in === 'path'
              ? req.pathParams[p.name]
              : p.in === 'query'
                ? req.query[p.name]
                : req.headers[p.name.toLowerCase()];
          if (p.required) assert.notEqual(raw, undefined, `${op.operationId}: required ${p.name}`);
          if (raw !== undefined) {
            checks.push({
              id: `${op.operationId} ${p.in} ${p.name}`,
              schema: p.schema,
              instance: coerceValue(doc, p.schema, raw, p.explode),
            });
          }
        }
        if (op.body !== undefined && req.contentType !== undefined) {
          const media = mediaFor(op.body.contents, req.contentType)!;
          const instance = bodyInstance(doc, req.contentType, media.schema, req.body);
          if (instance !== undefined && media.schema !== undefined) {
            checks.push({
              id: `${op.operationId} request body`,
              schema: media.schema,
              instance: instance.value,
            });
          }
        }
        const res = sampleResponse(contract, op);
        assert.deepEqual(validator.response(op, res), [], `response of ${op.operationId}`);
        assert.equal(
          responseFor(op, res.status)?.status.startsWith('2') ||
            responseFor(op, res.status)?.status === 'default',
          true,
        );
        if (res.contentType !== undefined && isJsonMedia(res.contentType)) {
          const media = mediaFor(responseFor(op, res.status)!.contents, res.contentType)!;
          if (media.schema !== undefined) {
            checks.push({
              id: `${op.operationId} response ${res.status}`,
              schema: media.schema,
              instance: res.body,
            });
          }
        } else if (res.body !== undefined) {
          assert.ok(res.body instanceof Uint8Array, `${op.operationId}: a non-JSON sample is bytes`);
        }
      }
      // The samples are stable: a second generation gives the same values.
      const again = contract.operations.map((op) => [
        requestTemplate(contract, op),
        sampleResponse(contract, op),
      ]);
      assert.deepEqual(
        again,
        contract.operations.map((op) => [requestTemplate(contract, op), sampleResponse(contract, op)]),
      );
      assert.ok(checks.length >= contract.operations.length);
      if (!requirePeer(t, 'python3-jsonschema')) return;
      assert.deepEqual(peerValidate(contract, checks), {});
    });
  });
}
