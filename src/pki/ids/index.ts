export { formatCbe, isValidCbe, normalizeCbe } from './cbe.ts';
export { formatInss, type InssInfo, isValidInss, validateInss } from './inss.ts';
