import type { ReadModels } from '../../src/platform/projections/read-models';
import { type InvoiceDocument, invoicesProjection } from './invoices.projection';

async function all(
  readModels: ReadModels,
  where: Record<string, string | { in: string[] }>,
  sort = [{ field: 'dueOn', direction: 'asc' as const }],
) {
  const items: InvoiceDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await readModels.find<InvoiceDocument>(invoicesProjection.name, { where, sort, limit: 1000, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export function invoiceById(readModels: ReadModels, invoiceId: string): Promise<InvoiceDocument | null> {
  return readModels.get<InvoiceDocument>(invoicesProjection.name, invoiceId);
}

/** The invoices an invoicing run issued. */
export function invoicesOfRun(readModels: ReadModels, runId: string): Promise<InvoiceDocument[]> {
  return all(readModels, { runId });
}

/** The unpaid invoices, oldest due date first (optionally of some régies). */
export function unpaidInvoices(readModels: ReadModels, regieIds?: string[]): Promise<InvoiceDocument[]> {
  return all(readModels, { status: 'unpaid', ...(regieIds ? { regieId: { in: regieIds } } : {}) });
}

/** A family's invoices at a régie for some months: what was invoiced for them (a run's regularisations compare with it). */
export function familyInvoicesOfMonths(
  readModels: ReadModels,
  familyId: string,
  regieId: string,
  months: string[],
): Promise<InvoiceDocument[]> {
  return all(readModels, { familyId, regieId, monthKey: { in: months } });
}

/** Every invoice of a régie's months (the run's regularisations, for all families at once). */
export function regieInvoicesOfMonths(readModels: ReadModels, regieId: string, months: string[]): Promise<InvoiceDocument[]> {
  return all(readModels, { regieId, monthKey: { in: months } });
}
