/**
 * A small top-down page layout for the PDF conformity report (pdf-lib, standard fonts, A4
 * portrait): a cursor, wrapped paragraphs that break across pages line by line, label/value
 * rows, shaded bands and a footer with "page X / N" written once the page count is known.
 * Every text goes through pdfText (WinAnsi) here, so no caller can make pdf-lib throw on a
 * character; words longer than the line (base64, hex) are cut wherever they reach the margin.
 */
import { type PDFDocument, type PDFFont, type RGB, rgb, StandardFonts } from 'pdf-lib';
import { createDocument, embedStandardFonts, PageCanvas } from '../../pdf/index.ts';
import { pdfText } from './_report-winansi.ts';

export const A4: readonly [number, number] = [595.28, 841.89];
const MARGIN = 42;
const FOOTER = 22;
export const LINE = 1.25;
export const INK = rgb(0.07, 0.07, 0.07);
export const GREY = rgb(0.38, 0.38, 0.38);
export const RULE = rgb(0.75, 0.75, 0.75);
export const SHADE = rgb(0.92, 0.94, 0.97);

export type FontName = 'regular' | 'bold' | 'mono' | 'monoBold';

export interface TextStyle {
  readonly size: number;
  readonly font?: FontName;
  readonly color?: RGB;
}

export interface CanvasMeta {
  readonly title: string;
  readonly subject: string;
  readonly keywords: readonly string[];
  /** Written as both creation and modification date: the run's end, never the clock. */
  readonly date: Date;
}

/** A label cell (French bold, English grey below) and its value, for `rows`. */
export interface Row {
  readonly fr: string;
  readonly en: string;
  readonly value: string;
  readonly valueStyle?: TextStyle;
}

export class ReportCanvas extends PageCanvas {
  private readonly widths = new Map<PDFFont, Map<string, number>>();

  private constructor(
    doc: PDFDocument,
    private readonly fonts: Readonly<Record<FontName, PDFFont>>,
  ) {
    super(doc, { size: A4, margin: MARGIN, footer: FOOTER });
  }

  static async create(meta: CanvasMeta): Promise<ReportCanvas> {
    const doc = await createDocument({
      title: pdfText(meta.title),
      subject: pdfText(meta.subject),
      keywords: meta.keywords.map(pdfText),
      language: 'fr-FR',
      date: meta.date,
    });
    const fonts = await embedStandardFonts(doc, {
      regular: StandardFonts.Helvetica,
      bold: StandardFonts.HelveticaBold,
      mono: StandardFonts.Courier,
      monoBold: StandardFonts.CourierBold,
    });
    return new ReportCanvas(doc, fonts);
  }

  font(name: FontName = 'regular'): PDFFont {
    return this.fonts[name];
  }

  /** Width of WinAnsi `text`: the sum of its glyphs (what drawText draws, no kerning). */
  measure(text: string, style: TextStyle): number {
    const font = this.font(style.font);
    const cache = this.widths.get(font) ?? new Map<string, number>();
    this.widths.set(font, cache);
    let w = 0;
    for (const c of text) {
      const cw = cache.get(c) ?? font.widthOfTextAtSize(c, 1000);
      cache.set(c, cw);
      w += cw;
    }
    return (w * style.size) / 1000;
  }

  /** Lines of `text` (any Unicode) wrapped to `width`: at spaces, long words cut at the margin. */
  wrap(text: string, style: TextStyle, width: number): string[] {
    const lines: string[] = [];
    const space = this.measure(' ', style);
    for (const paragraph of pdfText(text).split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(' ')) {
        const w = this.measure(word, style);
        const joined = line === '' ? w : lineWidth + space + w;
        if (joined <= width) {
          line = line === '' ? word : `${line} ${word}`;
          lineWidth = joined;
          continue;
        }
        if (line !== '') lines.push(line);
        let rest = word;
        let restWidth = w;
        while (restWidth > width && rest.length > 1) {
          let n = 0;
          let acc = 0;
          for (const c of rest) {
            const cw = this.measure(c, style);
            if (acc + cw > width && n > 0) break;
            acc += cw;
            n += c.length;
          }
          lines.push(rest.slice(0, n));
          rest = rest.slice(n);
          restWidth = this.measure(rest, style);
        }
        line = rest;
        lineWidth = restWidth;
      }
      lines.push(line);
    }
    return lines;
  }

  /** Draws one line (made WinAnsi, no wrapping) with its top at `top` (from the page top). */
  drawLine(line: string, x: number, top: number, style: TextStyle): void {
    if (line === '') return;
    this.page.drawText(pdfText(line).replace(/\n/g, ' '), {
      x,
      y: A4[1] - top - style.size * 0.82,
      size: style.size,
      font: this.font(style.font),
      color: style.color ?? INK,
    });
  }

  rect(
    x: number,
    top: number,
    width: number,
    height: number,
    o: { fill?: RGB; border?: RGB; thickness?: number; dashed?: boolean },
  ): void {
    this.page.drawRectangle({
      x,
      y: A4[1] - top - height,
      width,
      height,
      ...(o.fill ? { color: o.fill } : {}),
      ...(o.border ? { borderColor: o.border, borderWidth: o.thickness ?? 0.6 } : {}),
      ...(o.dashed ? { borderDashArray: [4, 3] } : {}),
    });
  }

  /** Height of `text` wrapped to `width`. */
  heightOf(text: string, style: TextStyle, width: number): number {
    return this.wrap(text, style, width).length * style.size * LINE;
  }

  /**
   * A wrapped paragraph at the cursor, breaking across pages between lines. `prefix` (drawn on
   * the first line, e.g. "C:") gives the following lines a hanging indent; `shade` fills
   * behind each line (transcripts).
   */
  paragraph(
    text: string,
    style: TextStyle,
    o: { indent?: number; gapAfter?: number; prefix?: string; prefixStyle?: TextStyle; shade?: RGB } = {},
  ): void {
    const indent = o.indent ?? 0;
    const prefixStyle = o.prefixStyle ?? style;
    const hang = o.prefix ? this.measure(`${o.prefix} `, prefixStyle) : 0;
    const lineHeight = style.size * LINE;
    const x = this.left + indent;
    this.wrap(text, style, this.width - indent - hang).forEach((line, i) => {
      this.ensure(lineHeight);
      if (o.shade) this.rect(x - 3, this.y - 0.5, this.width - indent + 3, lineHeight, { fill: o.shade });
      if (i === 0 && o.prefix)
        this.drawLine(o.prefix, x, this.y + (lineHeight - style.size) / 2, prefixStyle);
      this.drawLine(line, x + hang, this.y + (lineHeight - style.size) / 2, style);
      this.y += lineHeight;
    });
    this.y += o.gapAfter ?? 0;
  }

  /**
   * Label/value rows: the label shaded on the left, French bold with the English in grey beside
   * it when it fits, else below.
   */
  rows(rows: readonly Row[], labelWidth = 160): void {
    const label: TextStyle = { size: 8.5, font: 'bold' };
    const en: TextStyle = { size: 7, color: GREY };
    const pad = 3.5;
    const inner = labelWidth - 2 * pad;
    const valueWidth = this.width - labelWidth - 2 * pad;
    for (const row of rows) {
      const vs = row.valueStyle ?? { size: 9.5 };
      const labelLines = this.wrap(row.fr, label, inner);
      const frWidth = this.measure(labelLines[labelLines.length - 1] ?? '', label);
      const enInline = row.en === row.fr || frWidth + 4 + this.measure(row.en, en) <= inner;
      const enLines = row.en === row.fr ? [] : enInline ? [row.en] : this.wrap(row.en, en, inner);
      const valueLines = this.wrap(row.value, vs, valueWidth);
      const labelHeight =
        labelLines.length * label.size * LINE + (enInline ? 0 : enLines.length * en.size * LINE);
      const height = Math.max(labelHeight, valueLines.length * vs.size * LINE) + 2 * pad;
      this.ensure(Math.min(height, this.bottom - MARGIN));
      const top = this.y;
      this.rect(this.left, top, labelWidth, height, { fill: SHADE, border: RULE });
      this.rect(this.left + labelWidth, top, this.width - labelWidth, height, { border: RULE });
      let ly = top + pad;
      for (const l of labelLines) {
        this.drawLine(l, this.left + pad, ly, label);
        ly += label.size * LINE;
      }
      if (enInline && enLines[0])
        this.drawLine(enLines[0], this.left + pad + frWidth + 4, ly - label.size * LINE + 1.2, en);
      else
        for (const l of enLines) {
          this.drawLine(l, this.left + pad, ly, en);
          ly += en.size * LINE;
        }
      valueLines.forEach((l, i) => {
        this.drawLine(l, this.left + labelWidth + pad, top + pad + i * vs.size * LINE, vs);
      });
      this.y += height;
    }
  }

  /** Writes "<footer>" and "page X / N" on every page and returns the PDF bytes. */
  save(footer: string): Promise<Uint8Array> {
    const style: TextStyle = { size: 7, color: GREY };
    const [first = ''] = this.wrap(footer, style, this.width - 80);
    return this.finish((page, i, n) => {
      const top = A4[1] - MARGIN + 8;
      page.drawLine({
        start: { x: this.left, y: A4[1] - top + 10 },
        end: { x: this.left + this.width, y: A4[1] - top + 10 },
        thickness: 0.4,
        color: RULE,
      });
      this.drawLine(first, this.left, top, style);
      const number = `page ${i + 1} / ${n}`;
      this.drawLine(number, this.left + this.width - this.measure(number, style), top, style);
    });
  }
}
