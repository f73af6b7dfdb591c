/**
 * Page layout shared by the onboarding forms (pdf-lib, standard Helvetica fonts, A4 landscape):
 * a top-down cursor, headings, label/value blocks and ruled tables whose header repeats on
 * each new page. Every text is fitted to its cell: wrapped at spaces (long words cut after
 * ':', '.', '/', '-'), then shrunk down to a minimum size; text that still does not fit is
 * refused with ERR_ONBOARD_FORM_INVALID naming its field, so nothing ever overflows a cell.
 * Text given here must already be WinAnsi (see _winansi.ts): the fields module guarantees it.
 */
import { type PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';
import { createDocument, embedStandardFonts, PageCanvas } from '../../pdf/index.ts';
import { invalid } from './_fields.ts';
import { fit, LINE, type TextStyle, wrap } from './_fit-text.ts';

export type { TextStyle };

export const A4_LANDSCAPE: readonly [number, number] = [841.89, 595.28];
const MARGIN = 36;
const FOOTER = 20;
/** Padding inside a cell, horizontal and vertical. */
const PAD_X = 3;
const PAD_Y = 2.5;
const INK = rgb(0, 0, 0);
const RULE = rgb(0.3, 0.3, 0.3);
export const SHADE = rgb(0.88, 0.91, 0.95);

/** A rectangle measured from the top-left corner of the page, in points. */
export interface Box {
  readonly x: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Where an over-long text came from, for the error. */
export interface Field {
  readonly field: string;
}

export interface CanvasMeta {
  readonly title: string;
  readonly subject: string;
  readonly language: string;
}

export class FormCanvas extends PageCanvas {
  private constructor(
    doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    super(doc, { size: A4_LANDSCAPE, margin: MARGIN, footer: FOOTER });
  }

  /** A new document with its metadata; no date is written (forms never read the clock). */
  static async create(meta: CanvasMeta): Promise<FormCanvas> {
    const doc = await createDocument(meta);
    const fonts = await embedStandardFonts(doc, {
      regular: StandardFonts.Helvetica,
      bold: StandardFonts.HelveticaBold,
    });
    return new FormCanvas(doc, fonts.regular, fonts.bold);
  }

  rect(box: Box, options: { fill?: boolean; border?: boolean; thickness?: number } = {}): void {
    this.page.drawRectangle({
      x: box.x,
      y: A4_LANDSCAPE[1] - box.top - box.height,
      width: box.width,
      height: box.height,
      ...(options.fill ? { color: SHADE } : {}),
      ...(options.border === false ? {} : { borderColor: RULE, borderWidth: options.thickness ?? 0.6 }),
    });
  }

  /** Draws `text` fitted inside `box` (with padding), or refuses it naming `where.field`. */
  text(text: string, box: Box, style: TextStyle, where: Field): void {
    const font = style.bold ? this.bold : this.regular;
    const [padX, padY] = [PAD_X, PAD_Y];
    const inner = { width: box.width - 2 * padX, height: box.height - 2 * padY };
    const fitted = fit(text, font, inner.width, inner.height, style);
    if (!fitted) invalid(where.field, 'too long to fit its place on the form: shorten it');
    const { lines, size } = fitted;
    const tall = (lines.length - 1) * size * LINE + size;
    const valign = style.valign ?? (box.height <= 24 ? 'middle' : 'top');
    const offset = valign === 'middle' ? (inner.height - tall) / 2 : 0;
    lines.forEach((line, i) => {
      const w = font.widthOfTextAtSize(line, size);
      const x = style.align === 'center' ? box.x + (box.width - w) / 2 : box.x + padX;
      const baseline = box.top + padY + offset + i * size * LINE + size * 0.78;
      this.page.drawText(line, { x, y: A4_LANDSCAPE[1] - baseline, size, font, color: INK });
    });
  }

  /** A ruled cell: border, optional shading, fitted text. */
  cell(text: string, box: Box, style: TextStyle & { fill?: boolean }, where: Field): void {
    this.rect(box, { fill: style.fill === true });
    if (text !== '') this.text(text, box, style, where);
  }

  /** A line of text across the content width at the cursor, then the cursor moves below it. */
  line(text: string, style: TextStyle, where: Field, gap = 4): void {
    const height = style.size * 1.3 + 5;
    this.ensure(height);
    this.text(text, { x: this.left, top: this.y, width: this.width, height }, style, where);
    this.y += height + gap;
  }

  /** A shaded band with a bold title, kept on the same page as `keepWith` points below it. */
  heading(title: string, keepWith = 60, where: Field = { field: 'label' }): void {
    this.ensure(22 + keepWith);
    const box = { x: this.left, top: this.y, width: this.width, height: 18 };
    this.cell(title, box, { size: 10.5, minSize: 6, bold: true, valign: 'middle', fill: true }, where);
    this.y += 18;
  }

  /** A box with an X when checked, and its label to the right; returns the x after the label. */
  checkbox(x: number, top: number, checked: boolean, label: string, size = 10): number {
    this.rect({ x, top, width: size, height: size }, { thickness: 0.8 });
    if (checked) {
      const w = this.bold.widthOfTextAtSize('X', size);
      this.page.drawText('X', {
        x: x + (size - w) / 2,
        y: A4_LANDSCAPE[1] - top - size * 0.84,
        size,
        font: this.bold,
      });
    }
    this.page.drawText(label, {
      x: x + size + 4,
      y: A4_LANDSCAPE[1] - top - size * 0.84,
      size,
      font: this.regular,
    });
    return x + size + 4 + this.regular.widthOfTextAtSize(label, size) + 16;
  }

  /** Label/value rows: the label shaded on the left, the value fitted on the right. */
  fields(entries: readonly FieldRow[], labelWidth = 230): void {
    for (const entry of entries) {
      const height = entry.height ?? 20;
      this.ensure(height);
      const label = { x: this.left, top: this.y, width: labelWidth, height };
      const value = { x: this.left + labelWidth, top: this.y, width: this.width - labelWidth, height };
      this.cell(entry.label, label, { size: 8.5, minSize: 6, bold: true, fill: true }, { field: 'label' });
      this.cell(entry.value, value, { size: 9.5, minSize: 6.5 }, { field: entry.field });
      this.y += height;
    }
  }

  /** A ruled table; its header (group row, then column titles) repeats on every new page. */
  table(spec: TableSpec): void {
    const total = spec.columns.reduce((s, c) => s + c.weight, 0);
    const widths = spec.columns.map((c) => (c.weight / total) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((s, w) => s + w, 0));
    const groupHeight = spec.groups ? 16 : 0;
    const header = (): void => {
      let col = 0;
      for (const group of spec.groups ?? []) {
        const width = widths.slice(col, col + group.span).reduce((s, w) => s + w, 0);
        const box = { x: xs[col]!, top: this.y, width, height: groupHeight };
        const style = { size: 8.5, bold: true, align: 'center', valign: 'middle', fill: true } as const;
        this.cell(group.title, box, style, { field: 'label' });
        col += group.span;
      }
      this.y += groupHeight;
      spec.columns.forEach((c, i) => {
        const box = { x: xs[i]!, top: this.y, width: widths[i]!, height: spec.headerHeight };
        const style = {
          size: 8,
          minSize: 5.5,
          bold: true,
          align: 'center',
          valign: 'middle',
          fill: true,
        } as const;
        this.cell(c.title, box, style, { field: 'label' });
      });
      this.y += spec.headerHeight;
    };
    this.ensure(groupHeight + spec.headerHeight + spec.rowHeight);
    header();
    for (const row of spec.rows) {
      // A row grows (up to three times its height, unless fixedRows) to hold its longest cell at
      // the normal size; beyond that its cells shrink.
      const needed = row.map((cell, i) => {
        const lines = wrap(cell.text, this.regular, spec.size, widths[i]! - 2 * PAD_X) ?? [];
        return (lines.length - 1) * spec.size * LINE + spec.size + 2 * PAD_Y + 1;
      });
      const height = spec.fixedRows
        ? spec.rowHeight
        : Math.min(3 * spec.rowHeight, Math.max(spec.rowHeight, ...needed));
      if (this.y + height > this.bottom) {
        this.addPage();
        header();
      }
      row.forEach((cell, i) => {
        const box = { x: xs[i]!, top: this.y, width: widths[i]!, height };
        const align = spec.columns[i]?.align ?? 'left';
        this.cell(cell.text, box, { size: spec.size, minSize: spec.minSize, align, valign: 'middle' }, cell);
      });
      this.y += height;
    }
  }

  /** Writes the footer of every page ("<text>   <page> i / n") and returns the PDF bytes. */
  save(footer: string, pageWord: string, where: Field): Promise<Uint8Array> {
    // One line left of the page number, shrunk to fit.
    const fitted = fit(footer, this.regular, this.width - 90, 7, { size: 7, minSize: 4 });
    if (!fitted) invalid(where.field, 'too long to fit the page footer: shorten it');
    return this.finish((page, i, n) => {
      const y = MARGIN / 2 + 2;
      const size = fitted.size;
      page.drawText(fitted.lines[0] ?? '', { x: MARGIN, y, size, font: this.regular, color: RULE });
      const number = `${pageWord} ${i + 1} / ${n}`;
      const w = this.regular.widthOfTextAtSize(number, 7);
      page.drawText(number, { x: A4_LANDSCAPE[0] - MARGIN - w, y, size: 7, font: this.regular, color: RULE });
    });
  }
}

export interface FieldRow {
  readonly label: string;
  readonly value: string;
  readonly field: string;
  readonly height?: number;
}

export interface TableColumn {
  readonly title: string;
  /** Relative width: the columns share the content width in proportion. */
  readonly weight: number;
  readonly align?: 'left' | 'center';
}

export interface TableCell {
  readonly text: string;
  readonly field: string;
}

export interface TableSpec {
  readonly columns: readonly TableColumn[];
  readonly groups?: readonly { readonly title: string; readonly span: number }[];
  readonly rows: readonly (readonly TableCell[])[];
  readonly headerHeight: number;
  /** The least height of a row; a row grows up to three times this for a long cell. */
  readonly rowHeight: number;
  /** Every row exactly rowHeight (cells shrink instead), so that a page holds a known number. */
  readonly fixedRows?: boolean;
  readonly size: number;
  readonly minSize: number;
}
