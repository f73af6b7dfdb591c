import { z } from 'zod';

/** `sandbox.contracts`: service contracts the sandbox serves under the platform's security. */
export const SandboxContractsSchema = z
  .array(
    z
      .object({
        file: z
          .string()
          .min(1)
          .describe(
            'The contract: a WSDL 1.1 file (`.wsdl`, served on the SOA gateway) or an OpenAPI 3.0/3.1 or Swagger 2.0 file (`.yaml`, `.yml`, `.json`, served with the REST APIs). Relative to the configuration file.',
          ),
        scenarios: z
          .string()
          .min(1)
          .optional()
          .describe(
            'A scenario file (YAML) of canned replies and faults for this contract; relative to the configuration file.',
          ),
        api: z
          .string()
          .regex(/^[a-z][a-z0-9-]*$/, 'a lower-case API name')
          .optional()
          .describe(
            "REST: the API name it is served under (`{api}` of `cbss.rest`); default: the contract's.",
          ),
        path: z
          .string()
          .regex(/^\/[\w./-]*$/, 'an absolute URL path')
          .optional()
          .describe(
            'SOAP: the service path on the SOA gateway; default: the path of its `soap:address`, else `/<service name>`.',
          ),
      })
      .strict()
      .describe('One contract and, optionally, its scenarios.'),
  )
  .max(64)
  .describe(
    'Contracts the sandbox serves besides its own services: every operation, behind mutual TLS and the same checks as the platform (WS-Security, bearer tokens and scopes), requests validated against the contract, generated or scenario replies.',
  );
export type SandboxContractsConfig = z.infer<typeof SandboxContractsSchema>;
