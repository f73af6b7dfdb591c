import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';

/** Creates a file exclusively, mode exactly 0600 (whatever the umask); returns its descriptor. */
export function _createFile(path: string): number {
  const fd = openSync(path, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** Writes all of `bytes` (writeSync may write less than asked). */
export function _writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Writes a whole new 0600 file. */
export function _writeFile(path: string, data: string | Uint8Array): void {
  const fd = _createFile(path);
  try {
    _writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  } finally {
    closeSync(fd);
  }
}

/** Creates a directory, mode 0700; false when it exists already. */
export function _createDir(path: string): boolean {
  try {
    mkdirSync(path, { mode: 0o700 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** A file-name-safe version of `text`: letters, digits, `.`, `_`, `@`, `-`; at most `max` characters. */
export function _safeName(text: string, max: number): string {
  return text
    .replace(/[^A-Za-z0-9._@-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, max);
}

/** The extension of a body file, by its content type. */
export function _bodyExtension(contentType: string): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/xml' || type === 'application/xml' || type.endsWith('+xml')) return '.xml';
  if (type === 'application/json' || type.endsWith('+json')) return '.json';
  if (type === 'application/x-www-form-urlencoded') return '.form';
  if (type.startsWith('multipart/')) return '.mime';
  if (type.startsWith('text/')) return '.txt';
  return '.body';
}

/** The folder of exchange `seq`: `0001-POST-<path>`. */
export function _exchangeFolderName(seq: number, method: string, url: URL): string {
  const path = _safeName(url.pathname.replace(/\//g, '-'), 48);
  return `${String(seq).padStart(4, '0')}-${_safeName(method, 10)}-${path === '' ? _safeName(url.hostname, 48) : path}`;
}
