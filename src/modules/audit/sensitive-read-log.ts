import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import type { Clock } from '../../platform/clock/clock';
import type { Principal } from '../../platform/commands/command-context';
import type { EventStore } from '../../platform/event-store/event-store.port';
import { EventSerializer } from '../../platform/events/event-serializer';
import { CLOCK, EVENT_STORE } from '../../platform/tokens';
import { accessLogStream, SensitiveData, SensitiveDataRead } from './audit.events';

/**
 * Records every read of health data or bank details by staff, auditors and administrators, before the
 * data is returned: if the record cannot be written, the read fails (no untraced access).
 */
@Injectable()
export class SensitiveReadLog {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(principal: Principal, familyId: string, data: SensitiveData[], resource: string, correlationId: string): Promise<void> {
    if (principal.role === 'parent' || data.length === 0) return;
    const now = this.clock.now().toISOString();
    const event: SensitiveDataRead = {
      type: 'SensitiveDataRead',
      data: { familyId, userId: principal.userId, role: principal.role, data, resource, readAt: now, correlationId },
    };
    const eventId = randomUUID();
    await this.events.appendToStream(
      accessLogStream(familyId),
      [
        this.serializer.serialize(event, {
          eventId,
          correlationId,
          causationId: correlationId,
          userId: principal.userId,
          role: principal.role,
          familyId,
          recordedAt: now,
        }),
      ],
      'any',
    );
  }
}
