import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';

import { FamilyCommandMessage } from '../modules/families/family-commands/family-command';
import { AccountRepository } from '../modules/identity/account-repository';
import { normalizeLogin } from '../modules/identity/identity.types';
import { IdentityCommandMessage } from '../modules/identity/identity-command';
import { parisDateOf } from '../modules/planning/calendar/local-date';
import { schoolYearOf } from '../modules/planning/calendar/school-calendar';
import { CatalogCommand, catalogDecider } from '../modules/planning/catalog/catalog.decider';
import { facilityStream } from '../modules/planning/catalog/catalog.events';
import {
  ALSH_FACILITY,
  ALSH_MERCREDI_CONFIG,
  ALSH_MERCREDI_ID,
  PERISCOLAIRE_FACILITY,
  RESTAURATION_CONFIG,
  RESTAURATION_ID,
} from '../modules/planning/catalog/catalog.examples';
import { FamilyPlanningCommand, familyPlanningDecider } from '../modules/planning/family-planning/family-planning.decider';
import { planningStream } from '../modules/planning/planning.events';
import type { Activity } from '../modules/planning/planning.types';
import type { Clock } from '../platform/clock/clock';
import type { CommandContext, Principal } from '../platform/commands/command-context';
import { StreamCommand } from '../platform/commands/stream-command';
import type { EventStore } from '../platform/event-store/event-store.port';
import { PASSWORD_HASHER, PasswordHasher } from '../platform/security/password-hasher';
import { newSecretToken } from '../platform/security/secret-token';
import { CLOCK, EVENT_STORE } from '../platform/tokens';
import { DEMO_ACCOUNTS, DEMO_CATALOG, DEMO_FAMILIES, DEMO_FAMILY_DUPONT, DEMO_PASSWORD } from './demo-data';

const SEEDER: Principal = { userId: 'demo-seed', role: 'system' };

const DEMO_OPTIONS = Symbol('DEMO_OPTIONS');

/**
 * Loads the demo data through the command bus on the first start of a brand-new embedded data folder
 * (never in a folder that has held data, never in server mode, never with NODE_ENV=production): the
 * families, then one account of each kind, created and activated as a person would (activation token,
 * then password). At every start, warns while demo accounts still have the published demo password.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accounts: AccountRepository,
    @Inject(DEMO_OPTIONS) private readonly options: { seed: boolean },
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.seed && (await this.events.headPosition()) === 0) await this.seed();
    await this.warnAboutDemoPasswords();
  }

  /** One warning line naming the accounts whose password is still the published demo password. */
  private async warnAboutDemoPasswords(): Promise<void> {
    const verdicts = new Map<string, boolean>(); // the seed gives every account the same hash: verify it once
    const exposed: string[] = [];
    for (const account of DEMO_ACCOUNTS) {
      const stored = await this.accounts.load(normalizeLogin(account.login));
      const hash = stored?.passwordHash;
      if (!hash) continue;
      if (!verdicts.has(hash)) verdicts.set(hash, await this.hasher.verify(hash, DEMO_PASSWORD));
      if (verdicts.get(hash)) exposed.push(account.login);
    }
    if (exposed.length > 0) {
      this.logger.warn(
        `${exposed.length} account(s) still have the published demo password (${exposed.join(', ')}): change their passwords or disable them before real use`,
      );
    }
  }

  private async seed(): Promise<void> {
    const context = (id: string): CommandContext => ({ principal: SEEDER, correlationId: `demo-seed-${id}` });
    for (const registration of DEMO_FAMILIES) {
      await this.commands.execute(
        new FamilyCommandMessage(registration.familyId, (at) => ({ ...registration, at, actor: SEEDER }), context(registration.familyId)),
      );
    }
    await this.seedCatalog(context);
    await this.seedEnrolments(context);
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
        new IdentityCommandMessage(
          accountId,
          (at) => ({ type: 'Activate', ...meta(at), tokenHash: hash, passwordHash }),
          context(accountId),
        ),
      );
    }
    this.logger.log(`demo catalog: ${DEMO_CATALOG.map((f) => f.facility.name).join(', ')}`);
    this.logger.log(`demo data loaded: ${DEMO_FAMILIES.length} families, ${DEMO_ACCOUNTS.length} accounts (password ${DEMO_PASSWORD})`);
  }

  /**
   * LUCIE DUPONT enrolled for the current school year: at the Wednesday leisure centre on a regular
   * contract (her Wednesdays are booked by default) and at the canteen occasionally, so « Mes enfants →
   * Agenda » shows a filled grid.
   */
  private async seedEnrolments(context: (id: string) => CommandContext): Promise<void> {
    const schoolYear = schoolYearOf(parisDateOf(this.clock.now().toISOString()));
    for (const [activityId, activity, regularDays] of [
      [ALSH_MERCREDI_ID, { ...ALSH_MERCREDI_CONFIG, activityId: ALSH_MERCREDI_ID, facilityId: ALSH_FACILITY.facilityId }, [3]],
      [RESTAURATION_ID, { ...RESTAURATION_CONFIG, activityId: RESTAURATION_ID, facilityId: PERISCOLAIRE_FACILITY.facilityId }, []],
    ] as const) {
      await this.commands.execute(
        new StreamCommand(
          planningStream(DEMO_FAMILY_DUPONT),
          familyPlanningDecider,
          (at): FamilyPlanningCommand => ({
            type: 'EnrolChild',
            familyId: DEMO_FAMILY_DUPONT,
            at,
            actor: SEEDER,
            childId: 'enfant-lucie-dupont',
            activityId,
            schoolYear,
            regularDays: [...regularDays],
            activity: activity as Activity,
          }),
          { ...context(`enrolment-${activityId}`), familyId: DEMO_FAMILY_DUPONT },
        ),
      );
    }
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

@Module({})
export class DemoModule {
  static forRoot(options: { seed: boolean }): DynamicModule {
    return { module: DemoModule, providers: [{ provide: DEMO_OPTIONS, useValue: options }, DemoSeeder] };
  }
}
