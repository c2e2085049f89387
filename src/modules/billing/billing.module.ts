import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

import { PDF_RENDERER, type PdfRenderer } from '../../platform/pdf/pdf-renderer.port';
import { PuppeteerPdfRenderer } from '../../platform/pdf/puppeteer-pdf-renderer';
import { WorkflowHost } from '../../platform/workflows/workflow-host';
import { PlanningModule } from '../planning';
import { AccountController } from './account/account.controller';
import { InvoicingController } from './invoicing/invoicing.controller';
import { InvoicingJob } from './invoicing/invoicing.job';
import { InvoicingService } from './invoicing/invoicing.service';
import { LedgerImportController } from './ledger-import/ledger-import.controller';
import { LedgerImportService } from './ledger-import/ledger-import.service';
import { billingNotificationWorkflow } from './notifications/billing-notification.workflow';
import { InvoicePdfService } from './pdf/invoice-pdf.service';
import { RegieAccess } from './regies/regie-access';
import { RegiesController } from './regies/regies.controller';

/** Billing's workflows: the family told of its invoices and payments (through messaging's notification service). */
@Injectable()
export class BillingWorkflows implements OnModuleInit {
  constructor(private readonly host: WorkflowHost) {}

  onModuleInit(): void {
    this.host.register(billingNotificationWorkflow, async () => undefined);
  }
}

/** Bounded context "billing": régies and tariffs, monthly invoicing, families' accounts, desk payments. */
@Module({
  imports: [PlanningModule],
  controllers: [RegiesController, InvoicingController, AccountController, LedgerImportController],
  providers: [
    RegieAccess,
    BillingWorkflows,
    InvoicingService,
    InvoicingJob,
    LedgerImportService,
    InvoicePdfService,
    // one long-lived Chromium (launched at the first PDF), closed when the application stops
    {
      provide: PDF_RENDERER,
      useFactory: () => new PuppeteerPdfRenderer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }),
    },
  ],
  exports: [InvoicingService, InvoicingJob, LedgerImportService, InvoicePdfService, PDF_RENDERER],
})
export class BillingModule implements OnApplicationShutdown {
  constructor(@Inject(PDF_RENDERER) private readonly renderer: PdfRenderer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.renderer.close();
  }
}
