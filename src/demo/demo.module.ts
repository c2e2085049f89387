import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';

import { InvoicingJob, LedgerImportService, regieCommands } from '../modules/billing';
import { BillingModule } from '../modules/billing';
import { familyCommands } from '../modules/families';
import { accountCommands } from '../modules/identity';
import { normalizeLogin } from '../modules/identity/identity.types';
import { threadCommands } from '../modules/messaging';
import { catalogCommands, familyPlanningCommands } from '../modules/planning';
import { parisDateOf } from '../modules/planning/calendar/local-date';
import { schoolYearOf } from '../modules/planning/calendar/school-calendar';
import {
  ALSH_FACILITY,
  ALSH_MERCREDI_CONFIG,
  ALSH_MERCREDI_ID,
  PERISCOLAIRE_FACILITY,
  RESTAURATION_CONFIG,
  RESTAURATION_ID,
} from '../modules/planning/catalog/catalog.examples';
import type { Activity } from '../modules/planning/planning.types';
import type { Clock } from '../platform/clock/clock';
import type { CommandContext, Principal } from '../platform/commands/command-context';
import { Commands } from '../platform/commands/stream-command';
import { StreamReader } from '../platform/commands/stream-reader';
import type { EventStore } from '../platform/event-store/event-store.port';
import { PASSWORD_HASHER, PasswordHasher } from '../platform/security/password-hasher';
import { newSecretToken } from '../platform/security/secret-token';
import { CLOCK, EVENT_STORE } from '../platform/tokens';
import { DEMO_LEDGER, DEMO_LEDGER_FILE, DEMO_REGIES, DEMO_TARIFFS } from './demo-billing';
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
    private readonly commands: Commands,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reader: StreamReader,
    @Inject(DEMO_OPTIONS) private readonly options: { seed: boolean },
    private readonly ledger: LedgerImportService,
    private readonly invoicingJob: InvoicingJob,
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
      const hash = (await this.reader.state(accountCommands, normalizeLogin(account.login))).state.account?.passwordHash;
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
      await this.commands.send(familyCommands, registration.familyId, registration, context(registration.familyId));
    }
    await this.seedCatalog(context);
    await this.seedEnrolments(context);
    await this.seedInbox(context);
    await this.seedBilling(context);
    const passwordHash = await this.hasher.hash(DEMO_PASSWORD);
    for (const account of DEMO_ACCOUNTS) {
      const accountId = normalizeLogin(account.login);
      const { hash } = newSecretToken();
      const activationExpiresAt = new Date(this.clock.now().getTime() + 60_000).toISOString();
      await this.commands.send(
        accountCommands,
        accountId,
        { type: 'CreateAccount', ...account, activationTokenHash: hash, activationExpiresAt },
        context(accountId),
      );
      await this.commands.send(accountCommands, accountId, { type: 'Activate', tokenHash: hash, passwordHash }, context(accountId));
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
      await this.commands.send(
        familyPlanningCommands,
        { familyId: DEMO_FAMILY_DUPONT, schoolYear },
        {
          type: 'EnrolChild',
          childId: 'enfant-lucie-dupont',
          activityId,
          schoolYear,
          regularDays: [...regularDays],
          activity: activity as Activity,
          familyChildIds: ['enfant-lucie-dupont'],
        },
        context(`enrolment-${activityId}`),
      );
    }
  }

  /** « Boîte de réception »: a question of the DUPONT family to the commune's family service, waiting for an answer. */
  private async seedInbox(context: (id: string) => CommandContext): Promise<void> {
    const threadId = 'demo-question-dupont';
    await this.commands.send(
      threadCommands,
      { familyId: DEMO_FAMILY_DUPONT, threadId },
      {
        type: 'StartThread',
        side: 'family',
        commune: 'SAINT-JEAN',
        facilityId: 'service-famille',
        facilityName: 'Service enfance-famille de la commune',
        topic: 'billing',
        subject: 'Attestation de frais de garde',
        messageId: 'demo-question-dupont-1',
        body: "Bonjour,\npourriez-vous m'envoyer l'attestation de frais de garde de l'année pour ma déclaration d'impôts ?\nJean DUPONT",
        authorName: 'JEAN DUPONT',
        attachments: [],
      },
      { ...context('inbox'), familyId: DEMO_FAMILY_DUPONT },
    );
  }

  /** The régies and tariffs of the seed's activities, and the DUPONT family's 2014-2015 history (the tutorial's statement). */
  private async seedBilling(context: (id: string) => CommandContext): Promise<void> {
    for (const { regieId, settings } of DEMO_REGIES) {
      await this.commands.send(regieCommands, regieId, { type: 'DefineRegie', settings }, context(regieId));
      await this.invoicingJob.scheduleFrom(regieId);
    }
    for (const { regieId, tariff } of DEMO_TARIFFS) {
      await this.commands.send(regieCommands, regieId, { type: 'DefineTariff', tariff }, context(`tariff-${tariff.tariffId}`));
    }
    const report = await this.ledger.import(DEMO_LEDGER_FILE, DEMO_LEDGER, context('ledger'));
    this.logger.log(
      `demo billing: ${DEMO_REGIES.length} régies, ${DEMO_TARIFFS.length} tariffs, history ${report.invoices} invoices / ${report.payments} payments`,
    );
  }

  /** The seed's facilities and activities in SAINT-JEAN (the DUPONT family's commune). */
  private async seedCatalog(context: (id: string) => CommandContext): Promise<void> {
    for (const { facility, activities } of DEMO_CATALOG) {
      const { facilityId } = facility;
      await this.commands.send(
        catalogCommands,
        facilityId,
        { type: 'DefineFacility', name: facility.name, commune: facility.commune },
        context(facilityId),
      );
      for (const [activityId, config] of activities) {
        await this.commands.send(catalogCommands, facilityId, { type: 'DefineActivity', activityId, config }, context(facilityId));
      }
    }
  }
}

@Module({})
export class DemoModule {
  static forRoot(options: { seed: boolean }): DynamicModule {
    return { module: DemoModule, imports: [BillingModule], providers: [{ provide: DEMO_OPTIONS, useValue: options }, DemoSeeder] };
  }
}
