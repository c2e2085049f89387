import { Injectable } from '@nestjs/common';

import { familyRecordOf } from '../../../projections/family-record/family-record.queries';
import type { FamilyDirectory as FamilyDirectoryPort } from '../../platform/auth/family-access';
import { ReadModels } from '../../platform/projections/read-models';

/** The access policy's view of the families: their commune, from the family record. */
@Injectable()
export class FamilyDirectory implements FamilyDirectoryPort {
  constructor(private readonly readModels: ReadModels) {}

  async communeOf(familyId: string): Promise<string | undefined> {
    return (await familyRecordOf(this.readModels, familyId))?.commune;
  }
}
