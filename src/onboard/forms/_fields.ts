/**
 * Field checks shared by the onboarding forms. Each returns the value as it will be printed
 * (WinAnsi text, formatted CBE, port list) or throws ERR_ONBOARD_FORM_INVALID with
 * details.field set to the field's path in the form data ("rows[3].destination.ip").
 */
import { isIP } from 'node:net';
import { PasserelleError } from '../../errors.ts';
import { formatCbe } from '../../pki/ids/index.ts';
import { toWinAnsi } from './_winansi.ts';

export type FormLanguage = 'fr' | 'nl' | 'en';

/** Rendering options of every form PDF. */
export interface FormPdfOptions {
  readonly language: FormLanguage;
}

/** A person to contact about the request. */
export interface FormContact {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

export function invalid(field: string, reason: string, cause?: unknown): never {
  throw new PasserelleError('ERR_ONBOARD_FORM_INVALID', `${field}: ${reason}`, {
    details: { field },
    ...(cause === undefined ? {} : { cause }),
  });
}

export interface TextRule {
  readonly max: number;
  readonly multiline?: boolean;
}

/** A required text: trimmed, non-empty, at most `max` characters, in WinAnsi. */
export function text(value: unknown, field: string, rule: TextRule): string {
  if (typeof value !== 'string') return invalid(field, 'a text is required');
  const printable = toWinAnsi(value.trim(), field, rule.multiline === true);
  if (printable === '') return invalid(field, 'must not be empty');
  if (printable.length > rule.max)
    return invalid(field, `${printable.length} characters, at most ${rule.max}`);
  return printable;
}

/** An optional text: absent or blank gives ''. */
export function optionalText(value: unknown, field: string, rule: TextRule): string {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return '';
  return text(value, field, rule);
}

/** A calendar date YYYY-MM-DD (taken as given: forms never read the clock). */
export function isoDate(value: unknown, field: string): string {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m) return invalid(field, 'a date YYYY-MM-DD is required');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return invalid(field, `${String(value)} is not a calendar date`);
  return value as string;
}

/** A CBE/KBO number, checked (PROTOCOLS.md §2) and printed as 0123.456.749. */
export function cbe(value: unknown, field: string): string {
  if (typeof value !== 'string') return invalid(field, 'a CBE number is required');
  try {
    return formatCbe(value);
  } catch (e) {
    return invalid(field, `not a valid CBE number (${(e as Error).message})`, e);
  }
}

/** An IPv4 or IPv6 address, optionally with a /prefix for a subnet. */
export function ipAddress(value: unknown, field: string): string {
  if (typeof value !== 'string') return invalid(field, 'an IP address is required');
  const [address = '', prefix, extra] = value.trim().split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
  if (family === 0 || !prefixOk || extra !== undefined)
    return invalid(field, `"${value}" is not an IP address (IPv4 such as 192.0.2.10, or IPv6)`);
  return value.trim();
}

/** One address or several (printed comma-separated). */
export function ipAddresses(value: unknown, field: string): string {
  if (!Array.isArray(value)) return ipAddress(value, field);
  if (value.length === 0) return invalid(field, 'at least one IP address is required');
  return value.map((v, i) => ipAddress(v, `${field}[${i}]`)).join(', ');
}

/** An IP address, or a DNS host name when the address is not published (filled in by hand). */
export function ipOrHost(value: unknown, field: string): string {
  if (
    typeof value === 'string' &&
    /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/.test(value)
  )
    return value;
  return ipAddress(value, field);
}

export function optionalIpAddress(value: unknown, field: string): string {
  return value === undefined || value === '' ? '' : ipAddress(value, field);
}

/** A port (1–65535), a list of ports, or 'any' (a source port chosen by the client). */
export type FlowPort = number | readonly number[] | 'any';

export function port(value: unknown, field: string): string {
  if (value === 'any') return 'any';
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) return invalid(field, 'at least one port is required');
  for (const p of list)
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535)
      return invalid(field, `${String(p)} is not a port (an integer 1-65535, or 'any')`);
  return list.join(', ');
}

export function email(value: unknown, field: string): string {
  const v = text(value, field, { max: 254 });
  if (!/^[^\s@"<>,;]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}$/.test(v))
    return invalid(field, `"${v}" is not an e-mail address`);
  return v;
}

export function phone(value: unknown, field: string): string {
  const v = text(value, field, { max: 30 });
  if (!/^\+?[0-9][0-9 ()./-]{5,}$/.test(v)) return invalid(field, `"${v}" is not a phone number`);
  return v;
}

export interface CheckedContact {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

export function contact(value: unknown, field: string): CheckedContact {
  if (typeof value !== 'object' || value === null) return invalid(field, 'a contact is required');
  const c = value as Partial<FormContact>;
  return {
    name: text(c.name, `${field}.name`, { max: 80 }),
    email: email(c.email, `${field}.email`),
    phone: phone(c.phone, `${field}.phone`),
  };
}

/** A contact on one line of the form. */
export function contactLine(c: CheckedContact): string {
  return `${c.name}  ·  ${c.email}  ·  ${c.phone}`;
}

/** A non-empty array, or the field is refused. */
export function list<T>(value: readonly T[] | undefined, field: string): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) return invalid(field, 'at least one entry is required');
  return value;
}

/** One of the allowed values. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    return invalid(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}
