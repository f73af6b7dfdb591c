/**
 * `passerelle/mss`: the LPS side of MSSanté's API LPS (PROTOCOLS.md §9) — IMAP and SMTP with a
 * Pro Santé Connect token (SASL XOAUTH2) or a client certificate (AUTH_CLI), the MSSanté
 * headers, CDA documents in IHE XDM archives; and the PSC login and session rules.
 */
export { type CdaDocument, HL7_V3_NS, INS_OIDS, parseCda, readCda } from './cda.ts';
export {
  checkExtraHeaders,
  type MssCdaSummary,
  type MssHeaderOptions,
  mssHeaders,
} from './headers.ts';
export { type MssImap, openMssImap } from './imap.ts';
// Pro Santé Connect login and session rules (psc-*.ts, session.ts, token-store.ts).
export * from './psc-client.ts';
export * from './psc-config.ts';
export * from './psc-loopback.ts';
export * from './psc-tokens.ts';
export * from './session.ts';
export { sendMssMessage } from './smtp.ts';
export * from './token-store.ts';
export type {
  MssAuth,
  MssConnectionOptions,
  MssFetchResult,
  MssFolder,
  MssImapOptions,
  MssListOptions,
  MssMessageHeaders,
  MssMessageSummary,
  MssOutgoingMessage,
  MssSavedAttachment,
  MssSendResult,
  MssSmtpOptions,
} from './types.ts';
export { buildXdm, XDM_ATTACHMENT_NAME, type XdmArchive, type XdmOptions } from './xdm.ts';
export { parseXoauth2Error, type Xoauth2Error, xoauth2InitialResponse } from './xoauth2.ts';
