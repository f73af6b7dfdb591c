/**
 * What the PDF producers share beneath their own layouts (pdf-lib, standard fonts): a document
 * with Passerelle's metadata and no date unless one is given (never the clock), the standard
 * fonts embedded in a stated order, and a top-down page cursor over pages of one format.
 */
import { PDFDocument, type PDFFont, type PDFPage, type StandardFonts } from 'pdf-lib';

export interface DocumentMeta {
  readonly title: string;
  readonly subject: string;
  /** BCP 47, e.g. "fr-FR". */
  readonly language: string;
  readonly keywords?: readonly string[];
  /** Written as both creation and modification date when given; otherwise no date at all. */
  readonly date?: Date;
}

/**
 * A new, empty document with `meta` (texts written as given: a producer makes them WinAnsi
 * first), Passerelle as creator and producer, and pdf-lib's own metadata (its dates) left out.
 */
export async function createDocument(meta: DocumentMeta): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(meta.title);
  doc.setSubject(meta.subject);
  if (meta.keywords) doc.setKeywords([...meta.keywords]);
  doc.setLanguage(meta.language);
  doc.setCreator('Passerelle');
  doc.setProducer('Passerelle (pdf-lib)');
  if (meta.date) {
    doc.setCreationDate(meta.date);
    doc.setModificationDate(meta.date);
  }
  return doc;
}

/** Embeds the standard fonts of `fonts` in `doc`, in the order of its keys (the order is in the bytes). */
export async function embedStandardFonts<K extends string>(
  doc: PDFDocument,
  fonts: Readonly<Record<K, StandardFonts>>,
): Promise<Record<K, PDFFont>> {
  const embedded = {} as Record<K, PDFFont>;
  for (const name of Object.keys(fonts) as K[]) embedded[name] = await doc.embedFont(fonts[name]);
  return embedded;
}

export interface PageFormat {
  /** Page width and height, in points. */
  readonly size: readonly [number, number];
  /** The margin on every side, in points. */
  readonly margin: number;
  /** Room kept above the bottom margin for the footer, in points. */
  readonly footer: number;
}

/**
 * Pages of one format and a cursor `y` measured from the top of the current page. A canvas
 * starts with one page; `ensure` turns the page when what comes next does not fit.
 */
export class PageCanvas {
  readonly pages: PDFPage[] = [];
  /** The cursor: distance from the top of the current page. */
  y: number;
  private current: PDFPage | undefined;

  protected constructor(
    readonly doc: PDFDocument,
    readonly format: PageFormat,
  ) {
    this.y = format.margin;
    this.addPage();
  }

  get page(): PDFPage {
    return this.current!;
  }
  get left(): number {
    return this.format.margin;
  }
  /** The content width between the side margins. */
  get width(): number {
    return this.format.size[0] - 2 * this.format.margin;
  }
  /** Where content ends: above the footer and the bottom margin. */
  get bottom(): number {
    return this.format.size[1] - this.format.margin - this.format.footer;
  }

  addPage(): void {
    this.current = this.doc.addPage([...this.format.size]);
    this.pages.push(this.current);
    this.y = this.format.margin;
  }

  /**
   * Starts a new page unless `height` more points fit below the cursor; never from the top of a
   * page (what is taller than a page is not worth a blank one).
   */
  ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > this.format.margin) this.addPage();
  }

  /** Calls `draw` on every page in turn, each made the current page; then the PDF bytes. */
  protected async finish(draw: (page: PDFPage, index: number, count: number) => void): Promise<Uint8Array> {
    this.pages.forEach((page, i) => {
      this.current = page;
      draw(page, i, this.pages.length);
    });
    return this.doc.save({ useObjectStreams: false });
  }
}
