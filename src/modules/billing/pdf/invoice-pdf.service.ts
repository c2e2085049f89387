import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Inject, Injectable } from '@nestjs/common';

import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import type { InvoiceDocument } from '../../../../projections/invoices/invoices.projection';
import type { CommandContext } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { FILE_STORE, type FileStore } from '../../../platform/files/file-store.port';
import { PDF_RENDERER, type PdfRenderer } from '../../../platform/pdf/pdf-renderer.port';
import { ReadModels } from '../../../platform/projections/read-models';
import { accountCommands } from '../account/account.commands';
import { formatEuros, frenchDate, PAYMENT_MEAN_LABELS } from '../billing.types';
import { regieCommands } from '../regies/regie.commands';

const TEMPLATE = readFileSync(join(__dirname, 'invoice.pdf.hbs'), 'utf8');
const MAX_PDF_BYTES = 5 * 1024 * 1024;

/** The data the invoice template shows (pure). */
export function invoicePdfData(
  invoice: InvoiceDocument,
  context: {
    commune: string;
    deskInformation?: string;
    paymentMeans: string[];
    familyName: string;
    familyNumber: string;
    address: Record<string, unknown>;
  },
) {
  const qfs = [...invoice.lines, ...invoice.regularisations].map((l) => l.qf).filter((qf) => qf !== undefined);
  const lastQf = qfs.length > 0 ? qfs[qfs.length - 1] : undefined;
  return {
    ...context,
    number: invoice.number,
    regieName: invoice.regieName,
    issuedOn: frenchDate(invoice.issuedOn),
    dueOn: frenchDate(invoice.dueOn),
    periodFrom: frenchDate(invoice.periodFrom),
    periodTo: frenchDate(invoice.periodTo),
    qfUsed: lastQf === undefined ? '' : lastQf === null ? 'non communiqué (tarif maximal)' : String(lastQf),
    lines: [...invoice.lines, ...invoice.regularisations].map((l) => ({
      childName: l.childName,
      activityName: l.activityName,
      label: l.label,
      days: l.dates.length <= 12 ? l.dates.map((d) => frenchDate(d).slice(0, 5)).join(', ') : '',
      quantity: l.quantity,
      unit: formatEuros(l.unitCents),
      amount: formatEuros(l.amountCents),
    })),
    total: formatEuros(invoice.totalCents),
    // what the PDF shows is the invoice as issued: nothing paid yet (the statement shows what follows)
    paid: formatEuros(0),
    remaining: formatEuros(invoice.totalCents),
    previousUnpaid: invoice.previousUnpaidCents > 0 ? formatEuros(invoice.previousUnpaidCents) : '',
  };
}

/**
 * An issued invoice's PDF: rendered at its first request, kept in the file store and recorded on the
 * family's account (InvoicePdfStored), then served as kept, so it never changes afterwards. Two first
 * requests at once render twice; the account keeps the first and the other file is deleted.
 */
@Injectable()
export class InvoicePdfService {
  constructor(
    @Inject(PDF_RENDERER) private readonly renderer: PdfRenderer,
    @Inject(FILE_STORE) private readonly files: FileStore,
    private readonly commands: Commands,
    private readonly reader: StreamReader,
    private readonly readModels: ReadModels,
  ) {}

  async render(invoice: InvoiceDocument): Promise<Buffer> {
    const { state } = await this.reader.state(regieCommands, invoice.regieId);
    const record = await familyRecordOf(this.readModels, invoice.familyId);
    const data = invoicePdfData(invoice, {
      commune: state.regie?.communes[0] ?? record?.commune ?? '',
      deskInformation: state.regie?.deskInformation,
      paymentMeans: (state.regie?.paymentMeans ?? ['cheque', 'cash'])
        .filter((m) => m !== 'card-online' && m !== 'direct-debit')
        .map((m) => PAYMENT_MEAN_LABELS[m].toLowerCase()),
      familyName: record ? `${record.guardian.civility} ${record.guardian.lastName} ${record.guardian.firstName}` : invoice.familyId,
      familyNumber: record?.familyNumber ?? invoice.familyId,
      address: (record?.guardian.address as unknown as Record<string, unknown>) ?? {},
    });
    return this.renderer.render({ template: TEMPLATE, data: { ...data, paymentMeans: (data.paymentMeans as string[]).join(', ') } });
  }

  async pdfOf(invoice: InvoiceDocument, context: CommandContext): Promise<Buffer> {
    const { state } = await this.reader.state(accountCommands, invoice.familyId);
    const kept = state.pdfs[invoice.invoiceId];
    if (kept) {
      const bytes = await this.files.read(kept);
      if (bytes) return bytes;
    }
    const pdf = await this.render(invoice);
    const stored = await this.files.put({
      contentType: 'application/pdf',
      filename: `facture-${invoice.number}.pdf`,
      data: pdf,
      maxBytes: MAX_PDF_BYTES,
      metadata: { familyId: invoice.familyId, kind: 'invoice', invoiceId: invoice.invoiceId },
    });
    const result = await this.commands.send(
      accountCommands,
      invoice.familyId,
      { type: 'RecordInvoicePdf', invoiceId: invoice.invoiceId, fileId: stored.id, sha256: stored.sha256 },
      { ...context, principal: { userId: 'invoice-pdf', role: 'system' }, idempotencyKey: undefined, expectedRevision: undefined },
    );
    if (result.events.length === 0) {
      // another request kept its PDF first: serve that one
      await this.files.delete(stored.id);
      const again = (await this.reader.state(accountCommands, invoice.familyId)).state.pdfs[invoice.invoiceId];
      const bytes = again ? await this.files.read(again) : null;
      if (bytes) return bytes;
    }
    return pdf;
  }
}
