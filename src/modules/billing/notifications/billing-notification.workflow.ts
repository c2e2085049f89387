/**
 * A family is told, through the notification service (the inbox always, e-mail and SMS as it consents),
 * that an invoice was issued to it by a monthly run and that a payment was received at the desk. One
 * notification per invoice or payment, its id derived from it, so a redelivered event schedules it once.
 * Invoices and payments imported from the previous software are history: no notification for them.
 */
import type { Workflow, WorkflowOutput } from '../../../platform/workflows/workflow';
import { type FamilyNotification, notify } from '../../messaging';
import { accountEvents, familyIdFromAccountStream } from '../account/account.events';
import { formatEuros, frenchDate, PAYMENT_MEAN_LABELS } from '../billing.types';

export const billingNotificationWorkflow: Workflow<undefined> = {
  name: 'billing-notification',
  eventTypes: ['InvoiceIssued', 'PaymentRecorded'],

  decide(event): WorkflowOutput[] {
    const e = accountEvents.narrow(event);
    const familyId = event.metadata.familyId ?? familyIdFromAccountStream(event.streamId);
    if (!e || !familyId) return [];
    const at = event.metadata.recordedAt;
    let notification: FamilyNotification;
    if (e.type === 'InvoiceIssued') {
      const invoice = e.data.invoice;
      if (invoice.source.kind !== 'run') return [];
      notification = {
        notificationId: `invoice-issued-${invoice.invoiceId}`,
        familyId,
        kind: 'invoice-issued',
        title: `Nouvelle facture ${invoice.number}`,
        message:
          `Votre facture ${invoice.number} (${invoice.regieName}) du ${frenchDate(invoice.periodFrom)} au ${frenchDate(invoice.periodTo)} ` +
          `est disponible : ${formatEuros(invoice.totalCents)}, à régler avant le ${frenchDate(invoice.dueOn)}. ` +
          'Retrouvez-la dans « Mes factures ».',
        sms: `nouvelle facture ${invoice.number} de ${formatEuros(invoice.totalCents)} à régler avant le ${frenchDate(invoice.dueOn)}.`,
        createdAt: at,
      };
    } else if (e.type === 'PaymentRecorded') {
      const payment = e.data;
      if (payment.source.kind !== 'desk') return [];
      notification = {
        notificationId: `payment-received-${payment.paymentId}`,
        familyId,
        kind: 'payment-received',
        title: 'Paiement reçu',
        message:
          `Nous avons bien reçu votre paiement de ${formatEuros(payment.amountCents)} (${PAYMENT_MEAN_LABELS[payment.mean].toLowerCase()}) ` +
          `le ${frenchDate(payment.receivedOn)} pour ${payment.regieName}, reçu n° ${payment.number}.` +
          (payment.creditCents > 0 ? ` ${formatEuros(payment.creditCents)} restent en avoir sur votre compte.` : '') +
          ' Merci.',
        sms: `paiement de ${formatEuros(payment.amountCents)} bien reçu. Merci.`,
        createdAt: at,
      };
    } else {
      return [];
    }
    return [notify(notification)];
  },
};
