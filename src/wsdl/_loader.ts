import { readFile, realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import { decodeXml } from '../utf8.ts';
import type { Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';

/** Bounds of one `readWsdl`: a contract is a handful of files of some kilobytes each. */
export interface WsdlReadLimits {
  /** Files read, the WSDL itself included. Default 64. */
  readonly maxFiles: number;
  /** Bytes of one file. Default 8 MiB. */
  readonly maxFileBytes: number;
  /** Bytes of all files together. Default 32 MiB. */
  readonly maxTotalBytes: number;
}

export const DEFAULT_WSDL_LIMITS: WsdlReadLimits = Object.freeze({
  maxFiles: 64,
  maxFileBytes: 8 * 1024 * 1024,
  maxTotalBytes: 32 * 1024 * 1024,
});

/** Where an import points: a local file, or a location that is not one (never fetched). */
export type _Target = { readonly local: string } | { readonly remote: string };

/**
 * Resolves `location` (a `schemaLocation` or `location`) against the importing file. A relative
 * reference (or an absolute path) names a local file; anything with a URI scheme (http, https,
 * ftp, file, urn, ...) is `remote`: Passerelle reads local files only.
 */
export function _target(location: string, importer: string): _Target {
  const text = location.trim();
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return { remote: text };
  const url = new URL(text.replace(/\\/g, '/'), pathToFileURL(importer));
  url.search = '';
  url.hash = '';
  return { local: fileURLToPath(url) };
}

/** Reads each file once (by real path), within the limits, parsed with the hardened parser. */
export class _Loader {
  readonly files: string[] = [];
  readonly #limits: WsdlReadLimits;
  readonly #seen = new Set<string>();
  readonly #roots = new Map<string, Element>();
  #total = 0;

  constructor(limits: WsdlReadLimits) {
    this.#limits = limits;
  }

  /**
   * The document element of `path`, or undefined when this file was already read under `key`
   * (an import cycle, or a schema imported twice). `importer` names the file that refers to it.
   */
  async load(path: string, importer: string | undefined, key = ''): Promise<Element | undefined> {
    const real = await this.#realpath(path, importer);
    const seenKey = `${real}\u0000${key}`;
    if (this.#seen.has(seenKey)) return undefined;
    this.#seen.add(seenKey);
    const known = this.#roots.get(real);
    if (known !== undefined) return known;
    if (this.files.length >= this.#limits.maxFiles) {
      throw new PasserelleError(
        'ERR_WSDL_LIMIT',
        `The contract needs more than ${this.#limits.maxFiles} files`,
        {
          hint: 'Raise maxFiles if the contract really is that large; an import loop through renamed copies also ends here.',
          details: { file: real, maxFiles: this.#limits.maxFiles },
        },
      );
    }
    const size = (await stat(real)).size;
    if (size > this.#limits.maxFileBytes || this.#total + size > this.#limits.maxTotalBytes)
      throw this.#tooLarge(real, size);
    let bytes: Buffer;
    try {
      bytes = await readFile(real);
    } catch (cause) {
      throw _unreadable(real, cause);
    }
    // The file may have grown since stat: the bounds hold for what was read.
    if (
      bytes.byteLength > this.#limits.maxFileBytes ||
      this.#total + bytes.byteLength > this.#limits.maxTotalBytes
    )
      throw this.#tooLarge(real, bytes.byteLength);
    this.#total += bytes.byteLength;
    this.files.push(real);
    const root = this.#parse(real, bytes);
    this.#roots.set(real, root);
    return root;
  }

  #tooLarge(file: string, bytes: number): PasserelleError {
    return new PasserelleError('ERR_WSDL_LIMIT', `${file}: the file or the contract is too large`, {
      hint: 'Raise maxFileBytes / maxTotalBytes if the contract really is that large.',
      details: {
        file,
        bytes,
        maxFileBytes: this.#limits.maxFileBytes,
        maxTotalBytes: this.#limits.maxTotalBytes,
      },
    });
  }

  async #realpath(path: string, importer: string | undefined): Promise<string> {
    try {
      const real = await realpath(path);
      if (!(await stat(real)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      return real;
    } catch (cause) {
      if (
        (cause as NodeJS.ErrnoException).code === 'ENOENT' ||
        (cause as NodeJS.ErrnoException).code === 'ENOTDIR'
      ) {
        throw new PasserelleError(
          'ERR_FILE_NOT_FOUND',
          importer === undefined
            ? `File not found: ${path}`
            : `File not found: ${path} (imported by ${basename(importer)})`,
          {
            hint:
              importer === undefined
                ? 'Check the path of the WSDL file.'
                : `Put the imported file where ${basename(importer)} says it is (relative to ${basename(importer)}), with the rest of the contract.`,
            details: importer === undefined ? { path } : { path, importedBy: importer },
            cause,
          },
        );
      }
      throw _unreadable(path, cause);
    }
  }

  #parse(file: string, bytes: Buffer): Element {
    try {
      const root = parseXml(decodeXml(bytes)).documentElement;
      if (root === null) throw new PasserelleError('ERR_XML_MALFORMED', 'The document has no root element');
      return root;
    } catch (cause) {
      if (!isPasserelleError(cause) || !cause.code.startsWith('ERR_XML_')) throw cause;
      throw new PasserelleError(
        'ERR_WSDL_INVALID',
        `${file}: not a readable XML document (${cause.message})`,
        {
          hint:
            cause.code === 'ERR_XML_DOCTYPE'
              ? 'Passerelle refuses DOCTYPE declarations (no entities, no DTD): remove the DOCTYPE line from the file.'
              : 'Check that the file is a well-formed UTF-8 XML document (a WSDL or an XSD).',
          details: { file, xmlCode: cause.code },
          cause,
        },
      );
    }
  }
}

function _unreadable(file: string, cause: unknown): PasserelleError {
  const code = (cause as NodeJS.ErrnoException).code ?? 'unknown';
  return new PasserelleError('ERR_WSDL_UNREADABLE', `Cannot read ${file} (${code})`, {
    hint: 'Check that the path names a readable file, not a directory.',
    details: { file, reason: code },
    cause,
  });
}
