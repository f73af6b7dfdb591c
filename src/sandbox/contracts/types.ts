import type {
  ContractIssue,
  ContractOperation,
  ContractRequest,
  OpenApiContract,
  SecurityScheme,
} from '../../openapi/types.ts';
import type { SoaCode } from '../../soap/soa-codes.ts';
import type { QName, WsdlSecurity } from '../../wsdl/types.ts';
import type { Element } from '../../xml/node.ts';

/** One contract the sandbox serves, as the configuration's `sandbox.contracts` lists it. */
export interface SandboxContractEntry {
  /** The contract (absolute): `.wsdl` is SOAP, `.yaml`, `.yml` or `.json` OpenAPI/Swagger. */
  readonly file: string;
  /** A scenario file (YAML, absolute) of canned replies for this contract. */
  readonly scenarios?: string;
  /** REST: the API name it is served under (`{api}` of `cbss.rest`); default the contract's. */
  readonly api?: string;
  /** SOAP: the service path on the SOA gateway; default the `soap:address` path, else `/<service>`. */
  readonly path?: string;
}

/** How a REST request found (or did not find) an operation of a contract. */
export type SandboxRestMatch =
  | {
      readonly found: true;
      readonly operation: ContractOperation;
      readonly pathParams: Readonly<Record<string, string>>;
    }
  /** No operation: `allow` lists the methods the path has (empty: unknown path, 404; else 405). */
  | { readonly found: false; readonly allow: readonly string[] };

/** What the sandbox answers to a valid REST request: a scenario's reply or the generated sample. */
export interface SandboxRestReply {
  readonly status: number;
  /** Extra headers (lower-case names), besides content-type. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
  readonly delayMs: number;
  /** The scenario that matched, if any. */
  readonly scenario: string | undefined;
}

/** An OpenAPI/Swagger contract served by the `rest` module under `/{api}`. */
export interface SandboxRestContract {
  readonly kind: 'rest';
  readonly api: string;
  readonly file: string;
  readonly contract: OpenApiContract;
  /** The operation for `method` and `path` (below `/{api}`, no query). */
  match(method: string, path: string): SandboxRestMatch;
  /**
   * Whether the token's scopes satisfy the operation's security: every scope of one
   * requirement at least (no requirement, or one without scopes: any token). Returns the scopes
   * to ask for when they do not (those of the first requirement), else undefined.
   */
  missingScopes(operation: ContractOperation, granted: ReadonlySet<string>): readonly string[] | undefined;
  /** Where the request breaks the contract (empty: valid). */
  validate(operation: ContractOperation, request: ContractRequest): readonly ContractIssue[];
  /** The first matching scenario's reply, else the contract's sample response. */
  reply(operation: ContractOperation, request: ContractRequest): SandboxRestReply;
}

/** What a SOAP operation answers: a payload, a platform fault, or the service's own fault. */
export type SandboxSoapOutcome =
  | { readonly kind: 'payload'; readonly payload: Element }
  | { readonly kind: 'fault'; readonly code: SoaCode }
  | {
      readonly kind: 'business-fault';
      readonly faultcode: string;
      readonly faultstring: string;
      readonly detail: Element | undefined;
    }
  /** No reply can be generated for the operation (the reason goes to the sandbox log). */
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface SandboxSoapReply {
  readonly outcome: SandboxSoapOutcome;
  readonly delayMs: number;
  readonly scenario: string | undefined;
}

/** The XSD verdict on a request payload; `errors` are libxml2's, for the sandbox log only. */
export interface SandboxXsdVerdict {
  readonly valid: boolean;
  readonly errors: readonly { readonly line: number | null; readonly message: string }[];
}

/** One operation of a WSDL contract, as the SOA gateway serves it. */
export interface SandboxSoapOperation {
  readonly name: string;
  /** The Body's child element of the request. */
  readonly element: QName;
  /** What the WS-Policy asks (as the WSDL reader classified it). */
  readonly policy: WsdlSecurity;
  /** What the gateway checks: `unknown` is checked as `x509` (fail closed). */
  readonly security: 'none' | 'x509' | 'saml';
  /** Validates the payload (the Body's child) against the contract's schemas. */
  validate(payload: Element): Promise<SandboxXsdVerdict>;
  /** The first matching scenario's outcome, else the generated response. */
  reply(payload: Element): SandboxSoapReply;
}

/** A WSDL contract served by the `soa` module on the gateway's `soap` role. */
export interface SandboxSoapContract {
  readonly kind: 'soap';
  /** The WSDL service name (or the binding's, without a service). */
  readonly service: string;
  readonly file: string;
  /** The URL path of the service on the gateway. */
  readonly path: string;
  readonly operations: readonly SandboxSoapOperation[];
}

/** One contract as the console and `sandbox.json` show it. */
export interface SandboxContractDescription {
  readonly kind: 'rest' | 'soap';
  /** The API name (REST) or the service name (SOAP). */
  readonly name: string;
  readonly file: string;
  /** REST: `/{api}`; SOAP: the service path. */
  readonly path: string;
  readonly operations: readonly {
    readonly name: string;
    /** REST: `GET /persons/{ssin}`. */
    readonly route?: string;
    /** REST: the security requirements (any one suffices). */
    readonly security?: readonly (readonly SecurityScheme[])[];
    /** SOAP: what the policy asks, and what the gateway checks. */
    readonly policy?: WsdlSecurity;
  }[];
  /** The scenario files of the contract (its entry's, then those paired by name). */
  readonly scenarioFiles: readonly string[];
  /** How many scenarios they hold. */
  readonly scenarios: number;
  /** Matches so far per scenario name. */
  readonly scenarioMatches: Readonly<Record<string, number>>;
}

/** The contracts a sandbox serves: what the `rest` and `soa` modules need, and their description. */
export interface SandboxContracts {
  readonly rest: readonly SandboxRestContract[];
  readonly soap: readonly SandboxSoapContract[];
  /** Every scope the REST contracts' operations name: the authorization server must grant them. */
  readonly scopes: readonly string[];
  describe(): SandboxContractDescription[];
}
