import { isJsonMedia } from './_json.ts';
import { preferJson, sampleBytes } from './_media.ts';
import { compilerFor } from './_schema-compiler.ts';
import { sampleValue } from './sample-value.ts';
import type { ContractOperation, ContractResponse, ContractResponseData, OpenApiContract } from './types.ts';

function successOf(op: ContractOperation): ContractResponse | undefined {
  return (
    op.responses.find((r) => /^2\d\d$/.test(r.status)) ??
    op.responses.find((r) => r.status.toUpperCase() === '2XX') ??
    op.responses.find((r) => r.status === 'default') ??
    op.responses[0]
  );
}

/**
 * A response that satisfies the operation: its first 2xx response (`2XX` or `default` answer
 * 200), JSON media preferred, the contract's example when valid else a generated sample; bytes
 * for another media type; no body when the response declares none.
 */
export function sampleResponse(contract: OpenApiContract, op: ContractOperation): ContractResponseData {
  const response = successOf(op);
  const status = response !== undefined && /^\d{3}$/.test(response.status) ? Number(response.status) : 200;
  const media = response === undefined ? undefined : preferJson(response.contents);
  if (media === undefined) return { status, contentType: undefined, body: undefined };
  if (!isJsonMedia(media.mediaType) || media.mediaType.includes('*')) {
    const contentType = media.mediaType.includes('*') ? 'application/octet-stream' : media.mediaType;
    return { status, contentType, body: sampleBytes(contentType) };
  }
  const compiler = compilerFor(contract.document);
  const example = media.example;
  const body =
    example !== undefined && (media.schema === undefined || compiler.valid(media.schema, example))
      ? example
      : media.schema === undefined
        ? {}
        : sampleValue(media.schema, contract.document);
  return { status, contentType: media.mediaType, body };
}
