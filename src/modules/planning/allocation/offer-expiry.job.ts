import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

import { openOffers } from '../../../../projections/open-offers/open-offers.queries';
import { Commands } from '../../../platform/commands/stream-command';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { ReadModels } from '../../../platform/projections/read-models';
import { JOB_SCHEDULER } from '../../../platform/tokens';
import { Reconcilers } from '../../../platform/workflows/reconcilers';
import { allocationCommands } from './allocation.commands';
import { offerWindowMs } from './allocation.decider';
import { parseAllocationStream } from './allocation.events';
import { ALLOCATOR } from './allocation.workflow';
import { OFFER_EXPIRY_JOB, offerExpiryJobId, type OfferExpiryPayload } from './allocation-follow-ups.workflow';

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
    private readonly readModels: ReadModels,
    reconcilers: Reconcilers,
  ) {
    reconcilers.add({ name: 'offer expiries', run: () => this.reconcile() });
  }

  /**
   * Schedules again the expiry of every offer not answered yet. A job store that lost its last writes (Redis
   * losing the last second of its append-only file after the workflow's checkpoint moved on) would otherwise
   * leave an offer open for ever. Scheduling is idempotent (deterministic ids): a job still there is kept.
   */
  async reconcile(): Promise<number> {
    const offers = await openOffers(this.readModels);
    for (const offer of offers) {
      await this.jobs.schedule(
        OFFER_EXPIRY_JOB,
        offerExpiryJobId(offer.streamId, offer.requestId),
        { streamId: offer.streamId, requestId: offer.requestId },
        { runAt: new Date(offer.expiresAt) },
      );
    }
    return offers.length;
  }

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
