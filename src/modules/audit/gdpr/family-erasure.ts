import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import type { Clock } from '../../../platform/clock/clock';
import type { Principal } from '../../../platform/commands/command-context';
import { FoldedStreams } from '../../../platform/commands/folded-streams';
import type { EventStore } from '../../../platform/event-store/event-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import { FamilyKeyRing } from '../../../platform/events/family-key-ring';
import { FamilyReplay } from '../../../platform/projections/family-replay';
import { ProjectionRunner, RebuildInProgressError } from '../../../platform/projections/projection-runner';
import { CLOCK, EVENT_STORE } from '../../../platform/tokens';
import { type FamilyDataErased, type FamilyDataErasedData, gdprStream } from '../audit.events';

export interface ErasureOutcome {
  familyId: string;
  erasedAt: string;
  /** the rebuilds requested so that read models show « données effacées » (none already running is skipped) */
  rebuilds: { projection: string; requestId: string | null }[];
}

/**
 * Right to erasure (crypto-shredding): the erasure is logged (without personal data), the family's key is
 * destroyed, the states folded and snapshotted while the key existed are dropped, and every read model is
 * rebuilt from the log, where the family's personal fields now read « données effacées ». Amounts, numbers and
 * dates are never personal paths: accounting records keep them as the law requires.
 */
@Injectable()
export class FamilyErasure {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
    private readonly keys: FamilyKeyRing,
    private readonly streams: FoldedStreams,
    private readonly replay: FamilyReplay,
    private readonly runner: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async erase(
    familyId: string,
    by: Principal,
    reason: FamilyDataErasedData['reason'],
    correlationId: string,
    rule?: string,
    { rebuild = true }: { rebuild?: boolean } = {},
  ): Promise<ErasureOutcome> {
    const erasedAt = this.clock.now().toISOString();
    const event: FamilyDataErased = {
      type: 'FamilyDataErased',
      data: { familyId, erasedAt, erasedBy: by.userId, reason, ...(rule ? { rule } : {}) },
    };
    await this.events.appendToStream(
      gdprStream(familyId),
      [
        this.serializer.serialize(event, {
          eventId: randomUUID(),
          correlationId,
          causationId: correlationId,
          userId: by.userId,
          role: by.role,
          familyId,
          recordedAt: erasedAt,
        }),
      ],
      'any',
    );
    await this.keys.destroy(familyId, erasedAt);
    const streams = new Set<string>();
    for await (const page of this.replay.familyEvents(familyId)) for (const e of page) streams.add(e.streamId);
    await this.streams.forgetWithSnapshots(streams);
    const rebuilds = rebuild ? await this.rebuildReadModels(by.userId) : [];
    return { familyId, erasedAt, rebuilds };
  }

  /** Every read model rebuilt from the log (after keys were destroyed, so that they say « données effacées »). */
  async rebuildReadModels(requestedBy: string): Promise<ErasureOutcome['rebuilds']> {
    const rebuilds: ErasureOutcome['rebuilds'] = [];
    for (const projection of this.runner.names()) {
      try {
        rebuilds.push({ projection, requestId: (await this.runner.requestRebuild(projection, requestedBy)).id });
      } catch (error) {
        // a rebuild already asked for starts from the log after this erasure's key destruction: it will do
        if (!(error instanceof RebuildInProgressError)) throw error;
        rebuilds.push({ projection, requestId: null });
      }
    }
    return rebuilds;
  }
}
