/**
 * PdfRenderer port: a Handlebars template and its data printed to a PDF (A4, selectable text). One adapter:
 * Puppeteer driving the Chromium of the machine (puppeteer-pdf-renderer.ts), in both runtimes.
 */
export interface PdfDocument {
  /** the Handlebars source of an HTML page (compiled once per source and kept) */
  template: string;
  data: Record<string, unknown>;
}

export interface PdfRenderer {
  render(document: PdfDocument): Promise<Buffer>;
  /** Closes the browser (application shutdown). */
  close(): Promise<void>;
}

export const PDF_RENDERER = Symbol('PDF_RENDERER');
