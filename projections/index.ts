import type { ProjectionDefinition } from '../src/platform/projections/projection';
import { accountStatementProjection } from './account-statement/account-statement.projection';
import { accountsProjection } from './accounts/accounts.projection';
import { activityMembersProjection } from './activity-members/activity-members.projection';
import { catalogProjection } from './catalog/catalog.projection';
import { changeRequestsProjection } from './change-requests/change-requests.projection';
import { familyDocumentsProjection } from './family-documents/family-documents.projection';
import { familyRecordProjection } from './family-record/family-record.projection';
import { familyRequestsProjection } from './family-requests/family-requests.projection';
import { invoicesProjection } from './invoices/invoices.projection';
import { messageThreadsProjection } from './message-threads/message-threads.projection';
import { openOffersProjection } from './open-offers/open-offers.projection';
import { planningGridProjection } from './planning-grid/planning-grid.projection';
import { publicationsProjection } from './publications/publications.projection';
import { staffActionsProjection } from './staff-actions/staff-actions.projection';
import { staffQueueProjection } from './staff-queue/staff-queue.projection';
import { threadMessagesProjection } from './thread-messages/thread-messages.projection';

/** Every read model the projection runner maintains. */
export const ALL_PROJECTIONS: ProjectionDefinition[] = [
  familyRecordProjection,
  changeRequestsProjection,
  staffQueueProjection,
  accountsProjection,
  catalogProjection,
  planningGridProjection,
  openOffersProjection,
  messageThreadsProjection,
  threadMessagesProjection,
  activityMembersProjection,
  familyDocumentsProjection,
  publicationsProjection,
  familyRequestsProjection,
  staffActionsProjection,
  accountStatementProjection,
  invoicesProjection,
] as unknown as ProjectionDefinition[];

/**
 * Read models whose documents are made of one family's events alone: the auditors replay them for one family
 * (state at an instant, consistency check; src/platform/projections/family-replay.ts).
 */
export const FAMILY_SCOPED_PROJECTIONS: ReadonlySet<string> = new Set([
  familyRecordProjection.name,
  changeRequestsProjection.name,
  staffQueueProjection.name,
  planningGridProjection.name,
  familyRequestsProjection.name,
]);
