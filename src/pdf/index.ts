/**
 * Shared by the PDF producers (the MSSanté conformity report, the onboarding forms): WinAnsi
 * text for the standard fonts and the document, fonts and page cursor beneath their layouts.
 * Internal: not a package export.
 */
export {
  createDocument,
  type DocumentMeta,
  embedStandardFonts,
  PageCanvas,
  type PageFormat,
} from './page-canvas.ts';
export { isWinAnsi, mapWinAnsi, standIn } from './winansi.ts';
