import { Injectable } from '@nestjs/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import { DomainError } from '../../../platform/domain/domain-error';
import { isoDate } from '../../../platform/domain/text';
import { AuthenticatedRequest, pathId } from '../../../platform/http/command-http';
import { ActivityInCatalog, CatalogLookup } from '../catalog/catalog-lookup';

/** `/activities/:activityId/days/:date/…` */
export class DayParam extends createZodDto(z.strictObject({ activityId: pathId, date: isoDate() })) {}

/** Staff and auditors see the activities of their communes; another commune's activity is "not found". */
@Injectable()
export class ActivityDaysInScope {
  constructor(
    private readonly catalog: CatalogLookup,
    private readonly access: FamilyAccessPolicy,
  ) {}

  async inScope(rq: AuthenticatedRequest, activityId: string): Promise<ActivityInCatalog> {
    const found = await this.catalog.activity(activityId);
    try {
      this.access.assertCanRegisterIn(rq.principal, found.facility.commune);
    } catch {
      throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${activityId} » n'existe pas.`, 'not_found');
    }
    return found;
  }
}
