import { Global, Module } from '@nestjs/common';

import { FamilyAccessPolicy } from '../../platform/auth/family-access';
import { FAMILY_DIRECTORY } from '../../platform/tokens';
import { DecideChangeRequestController } from './decide-change-request/decide-change-request.controller';
import { FamilyDirectory } from './family-directory';
import { FamilyEndpoint } from './family-endpoint';
import { FamilyHistoryController } from './family-history/family-history.controller';
import { ReadFamilyController } from './read-family/read-family.controller';
import { RegisterFamilyController } from './register-family/register-family.controller';
import { RequestChangeController } from './request-change/request-change.controller';

/**
 * Bounded context "families": the family record ("Mon compte", "Mes enfants") and its change requests.
 * Global: it provides the family directory behind the platform's access policy, which every context uses.
 */
@Global()
@Module({
  controllers: [
    RegisterFamilyController,
    RequestChangeController,
    DecideChangeRequestController,
    ReadFamilyController,
    FamilyHistoryController,
  ],
  providers: [FamilyEndpoint, { provide: FAMILY_DIRECTORY, useClass: FamilyDirectory }, FamilyAccessPolicy],
  exports: [FamilyAccessPolicy],
})
export class FamiliesModule {}
