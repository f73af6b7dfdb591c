import { validateXML } from 'xmllint-wasm';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import { parseXml } from '../xml/parse.ts';
import { type _XsdFileSet, _xsdFileSet } from './_xsd-files.ts';
import type { WsdlModel } from './types.ts';

/** One reason a document is not valid: libxml2's message and the line it points at, when known. */
export interface XsdValidationError {
  readonly line: number | null;
  readonly message: string;
}

export interface XsdValidationResult {
  readonly valid: boolean;
  readonly errors: readonly XsdValidationError[];
}

export interface XsdValidator {
  /** Validates a standalone XML document (e.g. a Body payload from serializePayload). */
  validate(xml: string): Promise<XsdValidationResult>;
}

export interface XsdValidatorOptions {
  /** Largest document accepted, in UTF-8 bytes (ERR_WSDL_LIMIT above). Default 8 MiB. */
  readonly maxBytes?: number;
}

const PAYLOAD = 'payload.xml';
/** WebAssembly memory of one validation, in 64 KiB pages: 16 MiB at first, at most 512 MiB. */
const INITIAL_PAGES = 256;
const MAX_PAGES = 8192;
const MAX_ERRORS = 50;
/** Validations of one validator running at once (each is a worker thread); the others wait. */
const MAX_CONCURRENT = 4;
const MAX_MESSAGE = 1000;

/**
 * An XML Schema validator for the contract `model`, with libxml2 (xmllint compiled to
 * WebAssembly, `xmllint-wasm`): a document is valid when its root element is one the contract's
 * schemas declare (in any of their namespaces) and its content agrees with the declaration.
 *
 * The schemas are prepared once, on the first call: every schema document of the contract as a
 * standalone file (inline WSDL schemas with the namespace declarations in scope on them, imports
 * and includes pointed at the files of the set, remote locations at the local schema of their
 * namespace), plus one schema importing every namespace. Each call then runs xmllint in a worker
 * thread of its own over that in-memory file set: a worker, a WebAssembly instance and a schema
 * compilation per call, about 0.15 to 0.5 s (the eBox contract, a 2-core machine); at most 4
 * calls of one validator run at once, the others wait their turn.
 *
 * The document is first parsed with Passerelle's hardened parser: a document that is not
 * well-formed, has a DOCTYPE or a processing instruction is not valid (one error, line null)
 * and never reaches libxml2. Throws ERR_WSDL_LIMIT (a document above `maxBytes`) and
 * ERR_WSDL_INVALID (libxml2 could not compile the contract's schemas, or failed: `details`
 * holds its output).
 */
export function createXsdValidator(model: WsdlModel, options: XsdValidatorOptions = {}): XsdValidator {
  if (model === null || typeof model !== 'object' || model.schemas === undefined)
    throw new TypeError('createXsdValidator: a WsdlModel from readWsdl is required');
  const { maxBytes = 8 * 1024 * 1024 } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
    throw new TypeError('createXsdValidator: maxBytes must be a positive integer');
  let files: _XsdFileSet | undefined;
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async validate(xml: string): Promise<XsdValidationResult> {
      if (typeof xml !== 'string') throw new TypeError('XsdValidator.validate: xml must be a string');
      const bytes = Buffer.byteLength(xml, 'utf8');
      if (bytes > maxBytes) {
        throw new PasserelleError('ERR_WSDL_LIMIT', `The document is ${bytes} bytes, above ${maxBytes}`, {
          hint: 'Raise maxBytes of createXsdValidator if such documents are expected.',
          details: { bytes, maxBytes },
        });
      }
      try {
        parseXml(xml, { limits: { maxSize: maxBytes } });
      } catch (cause) {
        if (!isPasserelleError(cause) || !cause.code.startsWith('ERR_XML_')) throw cause;
        return { valid: false, errors: [{ line: null, message: `${cause.code}: ${cause.message}` }] };
      }
      files ??= _xsdFileSet(model.schemas);
      // A finishing call hands its slot to the first waiting one.
      if (running < MAX_CONCURRENT) running++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await _run(model.path, files, xml);
      } finally {
        const next = waiting.shift();
        if (next !== undefined) next();
        else running--;
      }
    },
  };
}

async function _run(contract: string, files: _XsdFileSet, xml: string): Promise<XsdValidationResult> {
  let result: Awaited<ReturnType<typeof validateXML>>;
  try {
    result = await validateXML({
      xml: [{ fileName: PAYLOAD, contents: xml }],
      schema: [files.main],
      preload: [...files.files],
      initialMemoryPages: INITIAL_PAGES,
      maxMemoryPages: MAX_PAGES,
    });
  } catch (cause) {
    const output = String((cause as Error).message ?? cause).slice(0, 4000);
    const exitCode = (cause as { code?: unknown }).code;
    throw new PasserelleError('ERR_WSDL_INVALID', `libxml2 could not validate against ${contract}`, {
      hint: /Schemas parser error|failed to compile/i.test(output)
        ? 'libxml2 refused the contract’s schemas: check them with xmllint --schema.'
        : 'libxml2 failed (its output is in details).',
      details: { file: contract, exitCode: typeof exitCode === 'number' ? exitCode : null, output },
      cause,
    });
  }
  if (result.valid) return { valid: true, errors: [] };
  const errors = result.errors
    .filter((e) => !/Schemas parser warning/.test(e.rawMessage))
    .filter((e) => e.loc === null || e.loc.fileName === PAYLOAD)
    .slice(0, MAX_ERRORS)
    .map((e) => ({ line: e.loc?.lineNumber ?? null, message: e.message.slice(0, MAX_MESSAGE) }));
  return {
    valid: false,
    errors: errors.length > 0 ? errors : [{ line: null, message: result.rawOutput.slice(0, MAX_MESSAGE) }],
  };
}
