import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '../auth/auth.decorators';
import { DomainError } from '../domain/domain-error';
import { ProjectionRunner, RebuildInProgressError } from './projection-runner';

@ApiTags('Exploitation')
@ApiBearerAuth()
@Controller('admin/projections')
export class ProjectionsController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Get()
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'État des projections (checkpoint, retard, reconstruction en cours)' })
  list() {
    return this.runner.statuses();
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Reconstruit une projection depuis la position zéro, puis bascule la lecture sur elle' })
  async rebuild(@Param('name') name: string) {
    if (!this.runner.names().includes(name)) {
      throw new DomainError('PROJECTION_NOT_FOUND', `La projection « ${name} » n'existe pas.`, 'not_found');
    }
    try {
      return await this.runner.rebuild(name);
    } catch (error) {
      if (error instanceof RebuildInProgressError) {
        throw new DomainError('REBUILD_IN_PROGRESS', `Une reconstruction de « ${name} » est déjà en cours.`, 'conflict');
      }
      throw error;
    }
  }
}
