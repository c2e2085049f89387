/** The billing context's public face: what other contexts may use. */
export { accountCommands } from './account/account.commands';
export { accountEvents } from './account/account.events';
export { billingEventDefinitions } from './billing.events';
export { BillingModule } from './billing.module';
export { InvoicingJob } from './invoicing/invoicing.job';
export { InvoicingService } from './invoicing/invoicing.service';
export { LedgerImportService } from './ledger-import/ledger-import.service';
export { regieCommands } from './regies/regie.commands';
