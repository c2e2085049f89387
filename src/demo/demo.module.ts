import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { FamilyCommandMessage } from '../modules/families/family-commands/family-command';
import { IdentityCommandMessage } from '../modules/identity/identity-command';
import { normalizeLogin } from '../modules/identity/identity.types';
import type { CommandContext, Principal } from '../platform/commands/command-context';
import type { EventStore } from '../platform/event-store/event-store.port';
import { PASSWORD_HASHER, PasswordHasher } from '../platform/security/password-hasher';
import { newSecretToken } from '../platform/security/secret-token';
import { EVENT_STORE } from '../platform/tokens';
import { DEMO_ACCOUNTS, DEMO_CATALOG, DEMO_FAMILIES, DEMO_PASSWORD } from './demo-data';
import { StreamCommand } from '../platform/commands/stream-command';
import { CatalogCommand, catalogDecider } from '../modules/planning/catalog/catalog.decider';
import { facilityStream } from '../modules/planning/catalog/catalog.events';

const SEEDER: Principal = { userId: 'demo-seed', role: 'system' };

/**
 * Loads the demo data through the command bus on first start (an empty event store): the families, then
 * one account of each kind, created and activated as a person would (activation token, then password).
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.events.headPosition()) > 0) return;
    const context = (id: string): CommandContext => ({ principal: SEEDER, correlationId: `demo-seed-${id}` });
    for (const registration of DEMO_FAMILIES) {
      await this.commands.execute(
        new FamilyCommandMessage(registration.familyId, (at) => ({ ...registration, at, actor: SEEDER }), context(registration.familyId)),
      );
    }
    await this.seedCatalog(context);
    const passwordHash = await this.hasher.hash(DEMO_PASSWORD);
    for (const account of DEMO_ACCOUNTS) {
      const accountId = normalizeLogin(account.login);
      const { hash } = newSecretToken();
      const meta = (at: string) => ({ accountId, at, actor: SEEDER });
      await this.commands.execute(
        new IdentityCommandMessage(
          accountId,
          (at) => ({
            type: 'CreateAccount',
            ...meta(at),
            ...account,
            activationTokenHash: hash,
            activationExpiresAt: new Date(Date.parse(at) + 60_000).toISOString(),
          }),
          context(accountId),
        ),
      );
      await this.commands.execute(
        new IdentityCommandMessage(accountId, (at) => ({ type: 'Activate', ...meta(at), tokenHash: hash, passwordHash }), context(accountId)),
      );
    }
    this.logger.log(`demo catalog: ${DEMO_CATALOG.map((f) => f.facility.name).join(', ')}`);
    this.logger.log(`demo data loaded: ${DEMO_FAMILIES.length} families, ${DEMO_ACCOUNTS.length} accounts (password ${DEMO_PASSWORD})`);
  }

  /** The seed's facilities and activities in SAINT-JEAN (the DUPONT family's commune). */
  private async seedCatalog(context: (id: string) => CommandContext): Promise<void> {
    for (const { facility, activities } of DEMO_CATALOG) {
      const send = (build: (at: string) => CatalogCommand) =>
        this.commands.execute(new StreamCommand(facilityStream(facility.facilityId), catalogDecider, build, context(facility.facilityId)));
      const meta = (at: string) => ({ facilityId: facility.facilityId, at, actor: SEEDER });
      await send((at) => ({ type: 'DefineFacility', ...meta(at), name: facility.name, commune: facility.commune }));
      for (const [activityId, config] of activities) {
        await send((at) => ({ type: 'DefineActivity', ...meta(at), activityId, config }));
      }
    }
  }
}

@Module({ providers: [DemoSeeder] })
export class DemoModule {}
