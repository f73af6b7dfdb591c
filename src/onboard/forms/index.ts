export {
  EBOX_FORMS_SEND_TO,
  type EboxApplication,
  type EboxDocumentType,
  type EboxEnvironment,
  type EboxFormsData,
  type EboxTrigger,
} from './_ebox-data.ts';
export type { FlowPort, FormContact, FormLanguage, FormPdfOptions } from './_fields.ts';
export {
  FIREWALL_FORM_SEND_TO,
  type FirewallEnvironment,
  type FirewallFlowRow,
  type FirewallFormData,
  FLOWS_PER_PAGE,
  GRANTING_INSTITUTION,
} from './_firewall-data.ts';
export { eboxFormsCsv, eboxFormsPdf } from './ebox-forms.ts';
export { firewallFormCsv, firewallFormPdf } from './firewall-form.ts';
