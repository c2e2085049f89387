import type { ProjectionDefinition } from '../src/platform/projections/projection';
import { accountStatementProjection } from './account-statement/account-statement.projection';
import { accountsProjection } from './accounts/accounts.projection';
import { catalogProjection } from './catalog/catalog.projection';
import { changeRequestsProjection } from './change-requests/change-requests.projection';
import { familyRecordProjection } from './family-record/family-record.projection';
import { invoicesProjection } from './invoices/invoices.projection';
import { openOffersProjection } from './open-offers/open-offers.projection';
import { planningGridProjection } from './planning-grid/planning-grid.projection';
import { staffQueueProjection } from './staff-queue/staff-queue.projection';

/** Every read model the projection runner maintains. */
export const ALL_PROJECTIONS: ProjectionDefinition[] = [
  familyRecordProjection,
  changeRequestsProjection,
  staffQueueProjection,
  accountsProjection,
  catalogProjection,
  planningGridProjection,
  openOffersProjection,
  accountStatementProjection,
  invoicesProjection,
] as unknown as ProjectionDefinition[];
