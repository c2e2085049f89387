/**
 * The history imported from the previous software: one CSV format (documented in the README, « Reprise de
 * l'historique »), `;`-separated, UTF-8, a header line:
 *
 *   type;famille;regie;numero;date;debut;fin;echeance;montant;moyen;affecte_a
 *   facture;1001001818331;regie-garderie-alsh;AL-12;2015-04-08;2015-02-01;2015-03-31;2015-04-30;243,20;;
 *   reglement;1001001818331;regie-garderie-alsh;AL-228;2015-04-08;;;;243,20;cheque;AL-12
 *   solde;1001001818331;regie-garderie-alsh;;2014-08-31;;;;-12,50;;
 *
 * - type: `facture` (an invoice as issued, its number kept), `reglement` (a payment; `affecte_a` names the
 *   invoices it paid, separated by `|`, else oldest first), `solde` (the opening balance: positive owed,
 *   negative a credit);
 * - amounts in euros with a comma or a dot (`243,20`), at most 2 decimals; dates `AAAA-MM-JJ`.
 * Pure: the rows and every error with its line number; nothing is written from a file with an error.
 */
import { isCents, MAX_AMOUNT_CENTS, PAYMENT_MEANS, type PaymentMean } from '../billing.types';

export const LEDGER_HEADER = ['type', 'famille', 'regie', 'numero', 'date', 'debut', 'fin', 'echeance', 'montant', 'moyen', 'affecte_a'];
/** 20 000 lines: the history of a commune of a few thousand families over a few years fits; larger files are split. */
export const MAX_LEDGER_LINES = 20_000;

export type LedgerRow =
  | {
      line: number;
      type: 'invoice';
      familyId: string;
      regieId: string;
      number: string;
      date: string;
      from: string;
      to: string;
      dueOn: string;
      cents: number;
    }
  | {
      line: number;
      type: 'payment';
      familyId: string;
      regieId: string;
      number: string;
      date: string;
      cents: number;
      mean: PaymentMean;
      allocateTo: string[];
    }
  | { line: number; type: 'opening'; familyId: string; regieId: string; date: string; cents: number };

export type LedgerError = { line: number; message: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const NUMBER = /^[A-Za-z0-9][A-Za-z0-9_/-]{0,39}$/;
const isDate = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const [y, m, d] = v.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** '243,20' / '243.20' / '-12,5' → cents, or null. */
export function parseEuros(value: string): number | null {
  const match = /^(-?)(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(value.trim());
  if (!match) return null;
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}

export function parseLedgerCsv(text: string): { rows: LedgerRow[]; errors: LedgerError[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const errors: LedgerError[] = [];
  const rows: LedgerRow[] = [];
  if (lines.length === 0) return { rows, errors: [{ line: 1, message: 'Fichier vide.' }] };
  if (lines.length - 1 > MAX_LEDGER_LINES)
    return { rows, errors: [{ line: MAX_LEDGER_LINES + 2, message: `Plus de ${MAX_LEDGER_LINES} lignes : découpez le fichier.` }] };
  const header = lines[0].split(';').map((h) => h.trim().toLowerCase());
  if (header.join(';') !== LEDGER_HEADER.join(';')) {
    return { rows, errors: [{ line: 1, message: `En-tête attendu : ${LEDGER_HEADER.join(';')}` }] };
  }
  const seen = new Map<string, number>();
  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    if (raw.trim() === '') return;
    const cells = raw.split(';').map((c) => c.trim());
    if (cells.length !== LEDGER_HEADER.length) {
      errors.push({ line, message: `${LEDGER_HEADER.length} colonnes attendues, ${cells.length} trouvées.` });
      return;
    }
    const [type, familyId, regieId, number, date, from, to, dueOn, amount, mean, allocateTo] = cells;
    const problems: string[] = [];
    if (!ID.test(familyId)) problems.push('famille invalide');
    if (!ID.test(regieId)) problems.push('régie invalide');
    if (!isDate(date)) problems.push(`date invalide « ${date} »`);
    const cents = parseEuros(amount);
    if (cents === null) problems.push(`montant invalide « ${amount} »`);
    const positive = cents !== null && isCents(cents);
    switch (type) {
      case 'facture': {
        if (!NUMBER.test(number)) problems.push('numéro invalide');
        if (!isDate(from) || !isDate(to) || from > to) problems.push('période invalide');
        if (!isDate(dueOn)) problems.push('échéance invalide');
        if (cents !== null && !positive) problems.push(`montant hors limites (1 centime à ${MAX_AMOUNT_CENTS / 100} €)`);
        if (problems.length === 0) rows.push({ line, type: 'invoice', familyId, regieId, number, date, from, to, dueOn, cents: cents! });
        break;
      }
      case 'reglement': {
        if (!NUMBER.test(number)) problems.push('numéro invalide');
        if (!(PAYMENT_MEANS as readonly string[]).includes(mean))
          problems.push(`moyen de paiement inconnu « ${mean} » (${PAYMENT_MEANS.join(', ')})`);
        if (cents !== null && !positive) problems.push(`montant hors limites (1 centime à ${MAX_AMOUNT_CENTS / 100} €)`);
        const targets = allocateTo ? allocateTo.split('|').map((t) => t.trim()) : [];
        if (targets.some((t) => !NUMBER.test(t))) problems.push('affectation invalide');
        if (problems.length === 0)
          rows.push({
            line,
            type: 'payment',
            familyId,
            regieId,
            number,
            date,
            cents: cents!,
            mean: mean as PaymentMean,
            allocateTo: targets,
          });
        break;
      }
      case 'solde': {
        if (cents === 0 || (cents !== null && Math.abs(cents) > MAX_AMOUNT_CENTS)) problems.push('solde nul ou hors limites');
        if (problems.length === 0) rows.push({ line, type: 'opening', familyId, regieId, date, cents: cents! });
        break;
      }
      default:
        problems.push(`type inconnu « ${type} » (facture, reglement, solde)`);
    }
    const key = type === 'solde' ? `solde|${familyId}|${regieId}` : `${type}|${regieId}|${number}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`doublon de la ligne ${first}`);
    else seen.set(key, line);
    if (problems.length > 0) errors.push({ line, message: problems.join(' ; ') });
  });
  return { rows, errors };
}

/** The id an imported invoice gets: stable, so importing the same file twice changes nothing. */
export function importedInvoiceId(regieId: string, number: string): string {
  return `imp-${regieId}-${number}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 100);
}
export function importedPaymentId(regieId: string, number: string): string {
  return `imp-pay-${regieId}-${number}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 100);
}
