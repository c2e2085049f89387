import { Module } from '@nestjs/common';

import { PlanningModule } from '../planning';
import { AccountController } from './account/account.controller';
import { InvoicingController } from './invoicing/invoicing.controller';
import { InvoicingJob } from './invoicing/invoicing.job';
import { InvoicingService } from './invoicing/invoicing.service';
import { LedgerImportController } from './ledger-import/ledger-import.controller';
import { LedgerImportService } from './ledger-import/ledger-import.service';
import { RegieAccess } from './regies/regie-access';
import { RegiesController } from './regies/regies.controller';

/** Bounded context "billing": régies and tariffs, monthly invoicing, families' accounts, desk payments. */
@Module({
  imports: [PlanningModule],
  controllers: [RegiesController, InvoicingController, AccountController, LedgerImportController],
  providers: [RegieAccess, InvoicingService, InvoicingJob, LedgerImportService],
  exports: [InvoicingService, InvoicingJob, LedgerImportService],
})
export class BillingModule {}
