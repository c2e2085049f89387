import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { FamilyCommandMessage } from '../modules/families/family-commands/family-command';
import type { EventStore } from '../platform/event-store/event-store.port';
import { EVENT_STORE } from '../platform/tokens';
import { DEMO_FAMILIES } from './demo-data';

const SEEDER = { userId: 'demo-seed', role: 'system' } as const;

/** Loads the demo families through the command bus on first start (an empty event store). */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.events.headPosition()) > 0) return;
    for (const registration of DEMO_FAMILIES) {
      await this.commands.execute(
        new FamilyCommandMessage(registration.familyId, (at) => ({ ...registration, at, actor: SEEDER }), {
          principal: SEEDER,
          correlationId: `demo-seed-${registration.familyId}`,
        }),
      );
    }
    this.logger.log(`demo data loaded: ${DEMO_FAMILIES.length} families`);
  }
}

@Module({ providers: [DemoSeeder] })
export class DemoModule {}
