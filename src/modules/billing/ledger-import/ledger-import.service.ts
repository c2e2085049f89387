import { Injectable } from '@nestjs/common';

import type { CommandContext } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { DomainError } from '../../../platform/domain/domain-error';
import { familyCommands } from '../../families';
import { accountCommands } from '../account/account.commands';
import type { Regie } from '../billing.types';
import { regieCommands } from '../regies/regie.commands';
import { importedInvoiceId, importedPaymentId, type LedgerError, type LedgerRow, parseLedgerCsv } from './ledger-csv';

export type LedgerImportReport = { file: string; invoices: number; payments: number; openingBalances: number; families: number };

/**
 * Imports the history of the previous software (ledger-csv.ts): every row checked first (format, then the
 * families, the régies and the invoices payments name), and nothing written from a file with an error (422
 * LEDGER_INVALID with each bad line). Then, family by family in file order, the operations are posted as
 * they were issued (numbers kept). Ids are derived from the régie and the number, so importing the same file
 * again — or again after an interruption — changes nothing more.
 */
@Injectable()
export class LedgerImportService {
  constructor(
    private readonly commands: Commands,
    private readonly reader: StreamReader,
  ) {}

  async import(
    file: string,
    text: string,
    context: CommandContext,
    progress?: (done: number, total: number) => void,
  ): Promise<LedgerImportReport> {
    const { rows, errors } = parseLedgerCsv(text);
    const regies = new Map<string, Regie | null>();
    const families = new Set<string>();
    const invoiceNumbers = new Set(
      rows.filter((r) => r.type === 'invoice').map((r) => `${r.familyId}|${r.regieId}|${(r as { number: string }).number}`),
    );
    const known = new Map<string, boolean>();
    for (const row of rows) {
      const problems: string[] = [];
      if (!regies.has(row.regieId)) regies.set(row.regieId, (await this.reader.state(regieCommands, row.regieId)).state.regie);
      if (!regies.get(row.regieId)) problems.push(`régie inconnue « ${row.regieId} »`);
      if (!known.has(row.familyId)) known.set(row.familyId, (await this.reader.state(familyCommands, row.familyId)).state.record !== null);
      if (!known.get(row.familyId)) problems.push(`famille inconnue « ${row.familyId} »`);
      if (row.type === 'payment') {
        for (const target of row.allocateTo) {
          if (!invoiceNumbers.has(`${row.familyId}|${row.regieId}|${target}`))
            problems.push(`facture ${target} absente du fichier pour cette famille`);
        }
      }
      if (problems.length > 0) errors.push({ line: row.line, message: problems.join(' ; ') });
      families.add(row.familyId);
    }
    if (errors.length > 0) {
      const sorted: LedgerError[] = [...errors].sort((a, b) => a.line - b.line);
      throw new DomainError(
        'LEDGER_INVALID',
        `Le fichier contient ${sorted.length} ligne(s) en erreur : rien n’a été importé.`,
        'invalid',
        { errors: sorted.slice(0, 200) },
      );
    }
    const report: LedgerImportReport = { file, invoices: 0, payments: 0, openingBalances: 0, families: families.size };
    const byFamily = new Map<string, LedgerRow[]>();
    for (const row of rows) byFamily.set(row.familyId, [...(byFamily.get(row.familyId) ?? []), row]);
    let done = 0;
    const ctx = { ...context, idempotencyKey: undefined, expectedRevision: undefined };
    for (const [familyId, familyRows] of byFamily) {
      for (const row of familyRows) {
        const regie = regies.get(row.regieId)!;
        if (row.type === 'invoice') {
          await this.commands.send(
            accountCommands,
            familyId,
            {
              type: 'PostInvoice',
              invoice: {
                invoiceId: importedInvoiceId(row.regieId, row.number),
                number: row.number,
                regieId: row.regieId,
                regieName: regie.name,
                familyId,
                periodFrom: row.from,
                periodTo: row.to,
                issuedOn: row.date,
                dueOn: row.dueOn,
                lines: [],
                regularisations: [],
                totalCents: row.cents,
                previousUnpaidCents: 0,
                source: { kind: 'import', file, line: row.line },
              },
            },
            ctx,
          );
          report.invoices++;
        } else if (row.type === 'payment') {
          await this.commands.send(
            accountCommands,
            familyId,
            {
              type: 'RecordPayment',
              paymentId: importedPaymentId(row.regieId, row.number),
              number: row.number,
              regieId: row.regieId,
              regieName: regie.name,
              mean: row.mean,
              receivedOn: row.date,
              amountCents: row.cents,
              ...(row.allocateTo.length > 0 ? { allocateTo: row.allocateTo.map((n) => importedInvoiceId(row.regieId, n)) } : {}),
              source: { kind: 'import', file, line: row.line },
            },
            ctx,
          );
          report.payments++;
        } else {
          await this.commands.send(
            accountCommands,
            familyId,
            {
              type: 'ImportOpeningBalance',
              regieId: row.regieId,
              regieName: regie.name,
              amountCents: row.cents,
              on: row.date,
              file,
              line: row.line,
            },
            ctx,
          );
          report.openingBalances++;
        }
        progress?.(++done, rows.length);
      }
    }
    return report;
  }
}
