import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../commands/command-context';
import { DomainError } from '../domain/domain-error';
import { type HttpResponse, pathId } from '../http/command-http';
import { ProjectionRunner, RebuildInProgressError } from './projection-runner';

/** How long POST …/rebuild waits for the owner of the projections before answering 202 with the request. */
export const REBUILD_WAIT_MS = 10_000;

class ProjectionParam extends createZodDto(z.strictObject({ name: pathId })) {}
class RebuildRequestParams extends createZodDto(z.strictObject({ name: pathId, requestId: pathId })) {}

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

  /**
   * The rebuild runs in the process that owns the projections (the projector in server mode, the portal in
   * embedded mode): this records the request, waits up to REBUILD_WAIT_MS for it, and answers 200 with the
   * projection's status once done, or 202 with the request (follow its Location) while it runs.
   */
  @Post(':name/rebuild')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Demande la reconstruction d’une projection depuis la position zéro (exécutée par le processus qui tient les projections) ; 200 une fois terminée, 202 si elle continue',
  })
  async rebuild(
    @Param() { name }: ProjectionParam,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: HttpResponse,
  ) {
    this.known(name);
    let request;
    try {
      request = await this.runner.requestRebuild(name, principal.userId);
    } catch (error) {
      if (error instanceof RebuildInProgressError) {
        throw new DomainError('REBUILD_IN_PROGRESS', `Une reconstruction de « ${name} » est déjà en cours.`, 'conflict', {
          ...(error.requestId ? { requestId: error.requestId } : {}),
        });
      }
      throw error;
    }
    const settled = (await this.runner.ownerAlive()) ? await this.runner.waitForRebuild(request.id, REBUILD_WAIT_MS) : request;
    if (settled.status === 'done') return { ...(await this.runner.status(name)), request: settled };
    if (settled.status === 'failed') {
      throw new DomainError('REBUILD_FAILED', `La reconstruction de « ${name} » a échoué.`, 'unavailable', {
        requestId: settled.id,
        error: settled.error,
      });
    }
    response.status(202);
    response.header('Location', `/admin/projections/${encodeURIComponent(name)}/rebuilds/${settled.id}`);
    return { request: settled };
  }

  @Get(':name/rebuilds/:requestId')
  @Roles('admin')
  @ApiOperation({ summary: 'Suivi d’une demande de reconstruction (pending, running, done, failed)' })
  async request(@Param() { name, requestId }: RebuildRequestParams) {
    this.known(name);
    const request = await this.runner.rebuildRequest(requestId);
    if (!request || request.projection !== name) {
      throw new DomainError('REBUILD_REQUEST_NOT_FOUND', 'Cette demande de reconstruction est introuvable.', 'not_found');
    }
    return request;
  }

  private known(name: string): void {
    if (!this.runner.names().includes(name)) {
      throw new DomainError('PROJECTION_NOT_FOUND', `La projection « ${name} » n'existe pas.`, 'not_found');
    }
  }
}
