import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

import { Commands } from '../../../platform/commands/stream-command';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { JOB_SCHEDULER } from '../../../platform/tokens';
import { allocationCommands } from './allocation.commands';
import { offerWindowMs } from './allocation.decider';
import { parseAllocationStream } from './allocation.events';
import { ALLOCATOR } from './allocation.workflow';
import { OFFER_EXPIRY_JOB, type OfferExpiryPayload } from './allocation-follow-ups.workflow';

/**
 * The end of an offered place's reply window: the offer lapses and the place goes to the next family.
 * Delivered at least once (and possibly a moment early, on another process's clock): the decider refuses
 * an early expiry and ignores a late or repeated one.
 */
@Injectable()
export class OfferExpiryJob implements OnModuleInit {
  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    private readonly commands: Commands,
  ) {}

  onModuleInit(): void {
    this.jobs.register<OfferExpiryPayload>({
      name: OFFER_EXPIRY_JOB,
      attempts: 10,
      backoffMs: 5000,
      handler: async (job) => {
        const day = parseAllocationStream(job.payload.streamId);
        if (!day) throw new Error(`offer-expiry job ${job.id}: not an allocation stream (${job.payload.streamId})`);
        await this.commands.send(
          allocationCommands,
          day,
          { type: 'ExpireOffer', requestId: job.payload.requestId, offerWindowMs: offerWindowMs() },
          {
            principal: { userId: ALLOCATOR, role: 'system' },
            correlationId: `job-${job.id}`,
            idempotencyKey: `offer-expiry:${job.payload.streamId}:${job.payload.requestId}`,
          },
        );
      },
    });
  }
}
