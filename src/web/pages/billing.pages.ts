/** « Relevé de compte » (per school year: Mes factures, Mes règlements, Relevé des opérations) and invoices' PDF. */
import { page, type PageRequest, type PageRoute } from '../portal';

const PARENT = ['parent'] as const;
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;
const INVOICE_ID = /^[A-Za-z0-9_.-]{1,120}$/;

/* eslint-disable @typescript-eslint/no-explicit-any -- the statement is the API's JSON, shown as it comes */
type Json = any;

/** The invoice's state at the statement's date (the API's `status`). */
export const INVOICE_STATUS_LABELS: Record<string, string> = { paid: 'Réglée', unpaid: 'À régler' };

/** The web address of an invoice's PDF (the page passes on the API's PDF through the session). */
export const invoicePdfHref = (invoiceId: string) => `/releve/factures/${encodeURIComponent(invoiceId)}/pdf`;

function familyOf(p: PageRequest): string {
  return p.principal?.familyId ?? '';
}

/** The family's balance and unpaid invoices today (« Accueil »), with the web links of their PDF. */
export async function homeAccount(p: PageRequest): Promise<Json> {
  const account = await p.api.get<Json>(`/families/${familyOf(p)}/account`);
  return {
    ...account,
    owes: account.balance.cents > 0,
    unpaidInvoices: (account.unpaidInvoices as Json[]).map((i) => ({ ...i, pdfHref: invoicePdfHref(i.invoiceId) })),
  };
}

export function billingPages(): PageRoute[] {
  return [
    {
      method: 'GET',
      path: '/releve',
      access: PARENT,
      handle: async (p) => {
        const match = SCHOOL_YEAR.exec(p.query.annee ?? '');
        const year = match && Number(match[2]) === Number(match[1]) + 1 ? p.query.annee : undefined;
        const s = await p.api.get<Json>(`/families/${familyOf(p)}/account/statement${year ? `?schoolYear=${year}` : ''}`);
        const years: string[] = s.schoolYears.includes(s.schoolYear) ? s.schoolYears : [s.schoolYear, ...s.schoolYears];
        return page('statement', `Relevé de compte ${s.schoolYear}`, {
          s,
          years: years.map((y) => ({ value: y, label: y.replace('-', ' – '), selected: y === s.schoolYear })),
          invoices: (s.invoices as Json[]).map((i) => ({
            ...i,
            statusLabel: INVOICE_STATUS_LABELS[i.status] ?? i.status,
            pdfHref: invoicePdfHref(i.invoiceId),
          })),
          payments: s.payments,
          operations: s.operations,
        });
      },
    },
    {
      method: 'GET',
      path: '/releve/factures/:invoiceId/pdf',
      access: PARENT,
      handle: async (p) => {
        const invoiceId = p.params.invoiceId;
        if (!INVOICE_ID.test(invoiceId))
          return page('message', 'Facture introuvable', { heading: 'Facture introuvable', text: 'Cette facture n’existe pas.' }, 404);
        const file = await p.api.file(`/families/${familyOf(p)}/invoices/${encodeURIComponent(invoiceId)}/pdf`);
        return { kind: 'file', ...file };
      },
    },
  ];
}
