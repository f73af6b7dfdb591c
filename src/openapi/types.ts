/**
 * A REST service contract as Passerelle reads it: OpenAPI 3.0, 3.1 or Swagger 2.0, with every
 * `$ref` resolved from local files only, each operation normalised to one shape whatever the
 * version (Swagger 2.0 `body`/`formData` parameters become a request body; parameter `type`
 * becomes a schema). Schemas are JSON Schema as the contract's version writes them; the
 * validator converts them (OpenAPI 3.0 `nullable`, draft-04 exclusive bounds, `type: file`).
 */

/** A JSON Schema object (or boolean schema) taken from the contract. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

export type OpenApiVersion = '2.0' | '3.0' | '3.1';

export type ContractMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

export type ParameterLocation = 'path' | 'query' | 'header';

export interface ContractParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  /** Path parameters are always required. */
  readonly required: boolean;
  readonly schema: JsonSchema;
  /** OpenAPI `style`/`explode` for arrays in the query: `form` + explode (repeat the name) by default. */
  readonly explode: boolean;
  readonly description: string | undefined;
  readonly example: unknown;
}

/** One media type of a request or response body. */
export interface ContractMedia {
  /** `application/json`, `multipart/form-data`, `application/pdf`, ... as the contract writes it. */
  readonly mediaType: string;
  /** Absent when the contract gives none (any content). */
  readonly schema: JsonSchema | undefined;
  /** The contract's example for this media type (`example`, first of `examples`), if any. */
  readonly example: unknown;
}

export interface ContractBody {
  readonly required: boolean;
  readonly contents: readonly ContractMedia[];
}

export interface ContractResponse {
  /** `200`, `4XX` or `default`, as the contract writes it. */
  readonly status: string;
  readonly description: string | undefined;
  readonly contents: readonly ContractMedia[];
}

/** Scopes of one security scheme inside a requirement. */
export interface SecurityScheme {
  readonly scheme: string;
  readonly scopes: readonly string[];
}

export interface ContractOperation {
  readonly operationId: string;
  readonly method: ContractMethod;
  /** The path template as the contract writes it under `paths`, e.g. `/persons/{ssin}`. */
  readonly path: string;
  readonly summary: string | undefined;
  /** Path-level and operation-level parameters merged (operation wins), cookies refused. */
  readonly parameters: readonly ContractParameter[];
  readonly body: ContractBody | undefined;
  readonly responses: readonly ContractResponse[];
  /**
   * Security requirements (any one suffices; all schemes of one are needed). Empty: none asked
   * (the platform still wants a bearer token: the sandbox checks one anyway).
   */
  readonly security: readonly (readonly SecurityScheme[])[];
  /** The scopes of the first requirement, flattened: what `rest call` asks the token for. */
  readonly scopes: readonly string[];
}

export interface OpenApiContract {
  /** The contract file (absolute). */
  readonly file: string;
  readonly version: OpenApiVersion;
  readonly title: string;
  readonly contractVersion: string;
  /**
   * The API name that replaces `{api}` in `cbss.rest`: `x-passerelle-api` of `info` when given,
   * else the title in lower case, runs of other characters as `-` (`EBOX REST API` → `ebox-rest-api`).
   */
  readonly apiName: string;
  /** Server URLs as written (OpenAPI 3 `servers`, Swagger 2.0 `schemes`+`host`+`basePath`). */
  readonly servers: readonly string[];
  readonly operations: readonly ContractOperation[];
  /**
   * The whole document after bundling (every `$ref` internal, `#/...`): what the validator
   * resolves the schemas' references against.
   */
  readonly document: { readonly [key: string]: unknown };
}

/** Where a request or response breaks the contract. */
export interface ContractIssue {
  readonly in: ParameterLocation | 'body' | 'status' | 'content-type' | 'operation';
  /** The parameter name, or the JSON pointer inside the body (`/address/zip`), or ''. */
  readonly at: string;
  readonly message: string;
}

/** A request as built from a contract (or as received by the sandbox), before or after sending. */
export interface ContractRequest {
  readonly method: ContractMethod;
  /** The operation's path with its parameters substituted and percent-encoded. */
  readonly path: string;
  readonly pathParams: Readonly<Record<string, string>>;
  /** Repeated names have several values. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The media type of the body (absent without a body). */
  readonly contentType: string | undefined;
  /**
   * JSON: the parsed value. multipart/form-data and x-www-form-urlencoded: an object of fields
   * (a file field as `{ filename, contentType, bytes: Uint8Array }`). Other types: the bytes.
   */
  readonly body: unknown;
}

export interface ContractResponseData {
  readonly status: number;
  readonly contentType: string | undefined;
  /** Parsed JSON for a JSON type, the bytes otherwise, undefined when empty. */
  readonly body: unknown;
}
