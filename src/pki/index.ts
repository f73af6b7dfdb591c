export { type VerifyChainOptions, verifyChain } from './chain.ts';
export { type CheckCertificateOptions, checkCertificate, type Finding } from './check-certificate.ts';
export type { Credential, KeyKind } from './credential.ts';
export { credentialFrom } from './credential.ts';
export { type CheckCredentialValidityOptions, checkCredentialValidity } from './credential-validity.ts';
export { type CreateCsrOptions, type CreatedCsr, createCsr } from './csr.ts';
export { type CreateDevCaOptions, createDevCa, type DevCa, hasDevCa, loadDevCa } from './dev-ca.ts';
export { type IssueDevCertificateOptions, issueDevCertificate } from './dev-issue.ts';
export { type DnAttribute, escapeDnValue, formatDn, issuerDn, subjectDn } from './dn.ts';
export { type EncodePkcs12Options, encodePkcs12 } from './encode-pkcs12.ts';
export { inspectP12, type P12Entry, type P12Inspection } from './inspect-p12.ts';
export { type CertificateUsage, type IssueCertificateOptions, issueCertificate } from './issue.ts';
export { generateKeyPair, KEY_TYPES, type KeyType } from './keys.ts';
export { type CredentialField, type LoadCredentialOptions, loadCredential } from './load-credential.ts';
export { type LoadTrustOptions, loadTrust } from './load-trust.ts';
export { type PemBlock, parseCertificates, splitPem, toPem } from './pem.ts';
export {
  type CertificateProfile,
  PROFILE_ENVS,
  PROFILE_NAMES,
  PROFILES,
  type ProfileEnv,
  type ProfileName,
  type ProfileSubjectParams,
  profileSubject,
  type Rdn,
  rdnsToString,
} from './profiles.ts';
export { hasTrust, type Trust, type TrustAnchors, trustAnchors } from './trust.ts';
export {
  type CredentialFiles,
  type WriteCredentialFilesOptions,
  writeCredentialFiles,
} from './write-credential-files.ts';
export { writeEncryptedKeyFile } from './write-key-file.ts';
