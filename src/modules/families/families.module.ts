import { Module } from '@nestjs/common';

import { DecideChangeRequestController } from './decide-change-request/decide-change-request.controller';
import { FamilyEndpoint } from './family-commands/family-endpoint';
import { FamilyHistoryController } from './family-history/family-history.controller';
import { GetFamilyRecordHandler, ListFamilyRequestsHandler, ListPendingRequestsHandler } from './read-family/family-queries.handlers';
import { ReadFamilyController } from './read-family/read-family.controller';
import { RegisterFamilyController } from './register-family/register-family.controller';
import { RequestChangeController } from './request-change/request-change.controller';

/** Bounded context "families": the family record ("Mon compte", "Mes enfants") and its change requests. */
@Module({
  controllers: [
    RegisterFamilyController,
    RequestChangeController,
    DecideChangeRequestController,
    ReadFamilyController,
    FamilyHistoryController,
  ],
  providers: [FamilyEndpoint, GetFamilyRecordHandler, ListFamilyRequestsHandler, ListPendingRequestsHandler],
})
export class FamiliesModule {}
