/** Turns the bundled document's paths into ContractOperations, whatever the OpenAPI version. */
import { PasserelleError } from '../errors.ts';
import { follow, isObject, type JsonObject } from './_json.ts';
import { bodyV2, parameterSchemaV2, responseContentsV2 } from './_normalise-v2.ts';
import type {
  ContractBody,
  ContractMedia,
  ContractMethod,
  ContractOperation,
  ContractParameter,
  ContractResponse,
  JsonSchema,
  OpenApiVersion,
  SecurityScheme,
} from './types.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** `get` + `/v1/persons/{ssin}` → `getV1PersonsSsin`. */
export function defaultOperationId(method: string, path: string): string {
  const camel = path
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return method.toLowerCase() + camel;
}

function firstExample(doc: JsonObject, holder: JsonObject): unknown {
  if (holder['example'] !== undefined) return holder['example'];
  if (isObject(holder['examples'])) {
    for (const value of Object.values(holder['examples'])) {
      const example = follow(doc, value);
      if (isObject(example) && 'value' in example) return example['value'];
    }
  }
  return undefined;
}

function contents3(doc: JsonObject, content: unknown): ContractMedia[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const media = isObject(raw) ? raw : {};
    return {
      mediaType,
      schema: media['schema'] as JsonSchema | undefined,
      example: firstExample(doc, media),
    };
  });
}

function parameter(
  doc: JsonObject,
  p: JsonObject,
  version: OpenApiVersion,
  operationId: string,
): ContractParameter {
  const location = p['in'];
  const name = String(p['name']);
  if (location === 'cookie') {
    throw new PasserelleError(
      'ERR_CONTRACT_UNSUPPORTED',
      `operation ${operationId}: cookie parameter ${name}`,
      {
        details: { feature: 'cookie parameter', operationId, parameter: name },
      },
    );
  }
  if (location !== 'path' && location !== 'query' && location !== 'header') {
    throw new PasserelleError(
      'ERR_CONTRACT_UNSUPPORTED',
      `operation ${operationId}: parameter in ${String(location)}`,
      {
        details: { feature: `${String(location)} parameter`, operationId, parameter: name },
      },
    );
  }
  let schema: JsonSchema;
  let explode: boolean;
  let example: unknown;
  if (version === '2.0') {
    schema = parameterSchemaV2(p);
    explode = p['collectionFormat'] === 'multi';
    example = p['x-example'];
  } else {
    const fromContent = contents3(doc, p['content'])[0]?.schema;
    schema = (p['schema'] as JsonSchema | undefined) ?? fromContent ?? {};
    const style = typeof p['style'] === 'string' ? p['style'] : location === 'query' ? 'form' : 'simple';
    explode = typeof p['explode'] === 'boolean' ? p['explode'] : style === 'form';
    example = firstExample(doc, p);
  }
  return {
    name,
    in: location,
    required: location === 'path' || p['required'] === true,
    schema,
    explode,
    description: typeof p['description'] === 'string' ? p['description'] : undefined,
    example,
  };
}

function security(doc: JsonObject, op: JsonObject): SecurityScheme[][] {
  const requirements = Array.isArray(op['security'])
    ? op['security']
    : Array.isArray(doc['security'])
      ? doc['security']
      : [];
  return requirements.filter(isObject).map((requirement) =>
    Object.entries(requirement).map(([scheme, scopes]) => ({
      scheme,
      scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    })),
  );
}

function responses(doc: JsonObject, op: JsonObject, version: OpenApiVersion): ContractResponse[] {
  const declared = isObject(op['responses']) ? op['responses'] : {};
  return Object.entries(declared).map(([status, raw]) => {
    const response = follow(doc, raw);
    const r = isObject(response) ? response : {};
    return {
      status,
      description: typeof r['description'] === 'string' ? r['description'] : undefined,
      contents: version === '2.0' ? responseContentsV2(r, op, doc) : contents3(doc, r['content']),
    };
  });
}

function body3(doc: JsonObject, op: JsonObject): ContractBody | undefined {
  const raw = follow(doc, op['requestBody']);
  if (!isObject(raw)) return undefined;
  return { required: raw['required'] === true, contents: contents3(doc, raw['content']) };
}

/** Every operation of the document, path-level parameters merged under operation-level ones. */
export function normaliseOperations(doc: JsonObject, version: OpenApiVersion): ContractOperation[] {
  const operations: ContractOperation[] = [];
  const paths = isObject(doc['paths']) ? doc['paths'] : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = follow(doc, rawItem);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item['parameters']) ? item['parameters'] : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const operationId =
        typeof op['operationId'] === 'string' ? op['operationId'] : defaultOperationId(method, path);
      const merged = new Map<string, JsonObject>();
      for (const raw of [...shared, ...(Array.isArray(op['parameters']) ? op['parameters'] : [])]) {
        const p = follow(doc, raw);
        if (isObject(p)) merged.set(`${String(p['in'])}:${String(p['name'])}`, p);
      }
      const all = [...merged.values()];
      const plain = all.filter((p) => p['in'] !== 'body' && p['in'] !== 'formData');
      const requirements = security(doc, op);
      operations.push({
        operationId,
        method: method.toUpperCase() as ContractMethod,
        path,
        summary: typeof op['summary'] === 'string' ? op['summary'] : undefined,
        parameters: plain.map((p) => parameter(doc, p, version, operationId)),
        body: version === '2.0' ? bodyV2(all, op, doc) : body3(doc, op),
        responses: responses(doc, op, version),
        security: requirements,
        scopes: (requirements[0] ?? []).flatMap((s) => s.scopes),
      });
    }
  }
  return operations;
}
