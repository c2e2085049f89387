import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import IORedis from 'ioredis';
import { MongoClient } from 'mongodb';

import { AuthGuard } from './auth/auth.guard';
import { type Clock, StartedClock, SystemClock } from './clock/clock';
import { CommandExecutor } from './commands/command-executor';
import { FoldedStreams, SNAPSHOT_COLLECTION } from './commands/folded-streams';
import { Commands, StreamCommandBatchHandler, StreamCommandHandler } from './commands/stream-command';
import { StreamReader } from './commands/stream-reader';
import type { AppConfig } from './config/config';
import type { DataFolder } from './data-folder/data-folder';
import { SERVER_DATA_FOLDER } from './data-folder/data-folder';
import type { DocumentStore } from './document-store/document-store.port';
import { MongoDocumentStore } from './document-store/mongo-document-store';
import { SqliteDocumentStore } from './document-store/sqlite-document-store';
import type { EventTypeDefinition } from './domain/decider';
import { EsdbEventStore } from './event-store/esdb-event-store';
import type { EventStore } from './event-store/event-store.port';
import { SqliteEventStore } from './event-store/sqlite-event-store';
import { EventSerializer } from './events/event-serializer';
import { FILE_STORE, type FileStore } from './files/file-store.port';
import { FolderFileStore } from './files/folder-file-store';
import { GridFsFileStore } from './files/gridfs-file-store';
import { HealthController } from './health/health.controller';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { HttpDrain } from './http/http-drain';
import { IDEMPOTENCY_COLLECTION, IDEMPOTENCY_EXPIRY } from './http/idempotency';
import { RequestRateLimiter } from './http/rate-limit';
import { BullmqJobScheduler } from './jobs/bullmq-job-scheduler';
import type { JobScheduler } from './jobs/job-scheduler.port';
import { SqliteJobScheduler } from './jobs/sqlite-job-scheduler';
import { MAILER, Mailer, OUTBOX } from './mail/mailer.port';
import { OutboxController } from './mail/outbox.controller';
import { outboxDir, OutboxMailer } from './mail/outbox-mailer';
import { SmtpMailer } from './mail/smtp-mailer';
import { TemplateRenderer } from './mail/template-renderer';
import { MetricsService } from './observability/metrics.service';
import { LeaseOwnership, RedisLease } from './ownership/redis-lease';
import type { ProjectionDefinition } from './projections/projection';
import { ProjectionRunner } from './projections/projection-runner';
import { ProjectionsController } from './projections/projections.controller';
import { DocumentReadModels, ReadModels } from './projections/read-models';
import { Argon2idHasher, PASSWORD_HASHER } from './security/password-hasher';
import { StorageHealth } from './storage/storage-health';
import { APP_CONFIG, CLOCK, DATA_FOLDER, DOCUMENT_STORE, EVENT_STORE, JOB_SCHEDULER } from './tokens';
import { Reconcilers } from './workflows/reconcilers';
import { WorkflowHost } from './workflows/workflow-host';
import { WorkflowRunner } from './workflows/workflow-runner';

export interface PlatformOptions {
  config: AppConfig;
  /** replaces the configured clock (tests run at fixed instants) */
  clock?: Clock;
  eventTypes: EventTypeDefinition[];
  projections: ProjectionDefinition[];
  /** the data folder checked (and locked, for its owner) before the module is built; none in server mode */
  dataFolder?: DataFolder;
}

/** The system clock; in embedded demo and acceptance runs, a clock started at CLOCK_START (loudly logged). */
export function clockFor(config: AppConfig): Clock {
  if (config.clockStart === undefined) return new SystemClock();
  new Logger('Clock').warn(`CLOCK_START=${config.clockStart}: the portal's clock starts at this instant (demo / acceptance run)`);
  return new StartedClock(config.clockStart);
}

function eventStoreFor(config: AppConfig, clock: Clock): EventStore {
  if (config.mode === 'server') return new EsdbEventStore(config.esdbUrl);
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'), { clock });
}

function documentStoreFor(config: AppConfig, clock: Clock): DocumentStore {
  if (config.mode === 'server') return new MongoDocumentStore(config.mongoUrl, config.mongoDb, {}, clock);
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteDocumentStore(join(config.dataDir, 'read-models.sqlite'), clock);
}

function jobSchedulerFor(config: AppConfig, clock: Clock, storage: StorageHealth): JobScheduler {
  if (config.mode === 'server') return new BullmqJobScheduler({ connection: config.redisUrl, clock });
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteJobScheduler(join(config.dataDir, 'jobs.sqlite'), {
    now: () => clock.now().getTime(),
    // the polling loop's own errors (a full or failing jobs.sqlite) reach readiness too
    onError: (error) => storage.observe('jobScheduler', error),
  });
}

/** Files (attachments, documents, issued PDFs): a folder of the data directory, or GridFS in server mode. */
function fileStoreFor(config: AppConfig, clock: Clock): FileStore {
  if (config.mode === 'server') {
    const client = new MongoClient(config.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
    const store = new GridFsFileStore(client, config.mongoDb, 'files', clock);
    return Object.assign(store, { close: () => client.close() });
  }
  return new FolderFileStore(join(config.dataDir, 'files'), clock);
}

/**
 * The embedded runtime (and a server without SMTP_URL) keeps mail in an outbox in the data folder, readable by
 * staff; with SMTP_URL, mail goes out through SMTP (Mailpit in docker-compose).
 */
function outboxFor(config: AppConfig, renderer: TemplateRenderer, clock: Clock): OutboxMailer {
  return new OutboxMailer({ dir: outboxDir(config.dataDir), from: config.mailFrom, renderer, clock });
}

/** Starts what runs in the background and closes the stores last, after in-flight requests have finished. */
@Injectable()
export class PlatformLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Platform');
  /** what the shutdown is waiting for, for the shutdown timeout's log line */
  shutdownStage = 'not stopping';
  /** server mode: projections and workflows run while this process holds the Redis lease */
  private ownership: { lease: LeaseOwnership; redis: IORedis } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATA_FOLDER) private readonly dataFolder: DataFolder,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(FILE_STORE) private readonly files: FileStore,
    private readonly projections: ProjectionRunner,
    private readonly workflows: WorkflowRunner,
    private readonly reconcilers: Reconcilers,
  ) {}

  /** the reconciliation started with the last ownership, and how to stop it */
  private reconciliation: { done: Promise<void>; abort: AbortController } | undefined;

  /** Once the read models have caught up with the log as it is now, redo what a job store may have lost. */
  private startReconciliation(): void {
    const abort = new AbortController();
    const caughtUp = async () => {
      const head = await this.events.headPosition();
      const deadline = performance.now() + 10 * 60_000;
      while (!abort.signal.aborted) {
        try {
          return await this.projections.waitForPosition(head, 5_000);
        } catch (error) {
          if (performance.now() > deadline) throw error;
        }
      }
      throw new Error('stopped');
    };
    const log = { log: (m: string) => this.logger.log(m), warn: (m: string) => this.logger.warn(m) };
    this.reconciliation = { done: this.reconcilers.runAll(caughtUp, log, abort.signal), abort };
  }

  private async stopReconciliation(): Promise<void> {
    this.reconciliation?.abort.abort();
    await this.reconciliation?.done;
    this.reconciliation = undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.documents.ensureCollection(IDEMPOTENCY_COLLECTION, [], { expiry: IDEMPOTENCY_EXPIRY });
    await this.documents.ensureCollection(SNAPSHOT_COLLECTION, []);
    await this.projections.initialize();
    if (this.config.runProjections && this.config.mode === 'server') {
      // one owner of projections and workflows across processes: a lease in Redis (redis-lease.ts)
      const redis = new IORedis(this.config.redisUrl, { maxRetriesPerRequest: 2 });
      const lease = new LeaseOwnership(
        new RedisLease(redis),
        {
          start: async () => {
            await this.projections.start();
            await this.workflows.start();
            this.startReconciliation();
          },
          stop: async () => {
            await this.stopReconciliation();
            await this.workflows.stop();
            await this.projections.stop();
          },
        },
        { log: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m) },
      );
      this.ownership = { lease, redis };
      await lease.start();
    } else if (this.config.runProjections) {
      // embedded: this process holds the data folder's owner lock (data-folder.ts)
      await this.projections.start();
      await this.workflows.start();
      this.startReconciliation();
    }
    await this.jobs.start();
    this.logger.log(`platform started (${this.config.mode} mode, projections ${this.config.runProjections ? 'in process' : 'elsewhere'})`);
  }

  // Nest closes the HTTP server (waiting for in-flight requests) before this hook: acknowledged commands
  // are already appended; then background work stops and the stores close.
  async onApplicationShutdown(): Promise<void> {
    try {
      this.shutdownStage = 'workflows stopping after their current event';
      if (this.ownership) {
        await this.ownership.lease.stop();
        await this.ownership.redis.quit().catch(() => undefined);
      }
      await this.stopReconciliation();
      await this.workflows.stop();
      this.shutdownStage = 'projections stopping after their current batch';
      await this.projections.stop();
      this.shutdownStage = 'job workers stopping after their current job';
      await this.jobs.stop();
      this.shutdownStage = 'stores closing';
      await Promise.allSettled([this.events.close(), this.documents.close(), this.mailer.close(), this.files.close()]);
    } finally {
      // last: the folder's next owner may start once the stores are closed
      this.dataFolder.release();
      this.shutdownStage = 'stopped';
    }
    this.logger.log('platform stopped');
  }
}

@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    return {
      module: PlatformModule,
      controllers: [HealthController, ProjectionsController, OutboxController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATA_FOLDER, useValue: options.dataFolder ?? SERVER_DATA_FOLDER },
        { provide: CLOCK, useFactory: () => options.clock ?? clockFor(config) },
        { provide: StorageHealth, useFactory: () => new StorageHealth() },
        // every store call goes through StorageHealth: full, corrupt or failing storage answers 503, readiness says it
        {
          provide: EVENT_STORE,
          inject: [CLOCK, StorageHealth, MetricsService],
          useFactory: (clock: Clock, storage: StorageHealth, metrics: MetricsService) => {
            const store = eventStoreFor(config, clock);
            if (store instanceof SqliteEventStore) metrics.observeGroupCommit(() => store.groupCommitStats);
            return storage.monitor('eventStore', store);
          },
        },
        {
          provide: DOCUMENT_STORE,
          inject: [CLOCK, StorageHealth],
          useFactory: (clock: Clock, storage: StorageHealth) => storage.monitor('documentStore', documentStoreFor(config, clock)),
        },
        {
          provide: JOB_SCHEDULER,
          inject: [CLOCK, StorageHealth],
          useFactory: (clock: Clock, storage: StorageHealth) => storage.monitor('jobScheduler', jobSchedulerFor(config, clock, storage)),
        },
        {
          provide: FILE_STORE,
          inject: [CLOCK, StorageHealth],
          useFactory: (clock: Clock, storage: StorageHealth) => storage.monitor('fileStore', fileStoreFor(config, clock)),
        },
        { provide: EventSerializer, useFactory: () => new EventSerializer().register(options.eventTypes) },
        MetricsService,
        { provide: HttpDrain, useFactory: () => new HttpDrain() },
        // rate limits (http/rate-limit.ts): counters in Redis in server mode, shared by every API process
        {
          provide: RequestRateLimiter,
          useFactory: () =>
            new RequestRateLimiter(
              { account: config.rateLimitAccount, anonymous: config.rateLimitAnonymous, downloads: config.rateLimitDownloads },
              config.mode === 'server' ? new IORedis(config.redisUrl, { maxRetriesPerRequest: 1 }) : undefined,
            ),
        },
        { provide: TemplateRenderer, useFactory: () => new TemplateRenderer() },
        {
          provide: OUTBOX,
          inject: [TemplateRenderer, CLOCK],
          useFactory: (renderer: TemplateRenderer, clock: Clock) => outboxFor(config, renderer, clock),
        },
        {
          provide: MAILER,
          inject: [TemplateRenderer, OUTBOX, CLOCK],
          useFactory: (renderer: TemplateRenderer, outbox: OutboxMailer, clock: Clock) =>
            config.smtpUrl ? new SmtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, renderer, clock }) : outbox,
        },
        { provide: PASSWORD_HASHER, useFactory: () => new Argon2idHasher() },
        {
          provide: FoldedStreams,
          inject: [EVENT_STORE, EventSerializer, DOCUMENT_STORE],
          useFactory: (store: EventStore, serializer: EventSerializer, documents: DocumentStore) => {
            const logger = new Logger('Snapshots');
            return new FoldedStreams(store, serializer, {
              snapshots: documents,
              onSnapshotError: (streamId, error) => logger.warn({ streamId, err: error, msg: 'snapshot not written (it is only a cache)' }),
            });
          },
        },
        {
          provide: StreamReader,
          inject: [EVENT_STORE, EventSerializer, FoldedStreams],
          useFactory: (store: EventStore, serializer: EventSerializer, streams: FoldedStreams) =>
            new StreamReader(store, serializer, streams),
        },
        {
          provide: CommandExecutor,
          inject: [EVENT_STORE, EventSerializer, MetricsService, CLOCK, FoldedStreams],
          useFactory: (store: EventStore, serializer: EventSerializer, metrics: MetricsService, clock: Clock, streams: FoldedStreams) =>
            new CommandExecutor(
              store,
              serializer,
              { maxAttempts: config.commandRetries, clock, onConflictRetry: () => metrics.conflictRetries.inc() },
              streams,
            ),
        },
        Commands,
        WorkflowHost,
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, DOCUMENT_STORE, EventSerializer, CLOCK],
          useFactory: (store: EventStore, documents: DocumentStore, serializer: EventSerializer, clock: Clock) => {
            const logger = new Logger('Projections');
            return new ProjectionRunner(store, documents, serializer, {
              clock,
              logger: {
                info: (obj, msg) => logger.log({ ...obj, msg }),
                warn: (obj, msg) => logger.warn({ ...obj, msg }),
                error: (obj, msg) => logger.error({ ...obj, msg }),
              },
            }).register(...options.projections);
          },
        },
        {
          provide: WorkflowRunner,
          inject: [EVENT_STORE, DOCUMENT_STORE, EventSerializer, CLOCK],
          useFactory: (store: EventStore, documents: DocumentStore, serializer: EventSerializer, clock: Clock) => {
            const logger = new Logger('Workflows');
            return new WorkflowRunner(store, documents, serializer, { warn: (obj, msg) => logger.warn({ ...obj, msg }) }, clock);
          },
        },
        {
          provide: ReadModels,
          inject: [DOCUMENT_STORE, ProjectionRunner],
          useFactory: (documents: DocumentStore, projections: ProjectionRunner) => new DocumentReadModels(documents, projections),
        },
        { provide: Reconcilers, useFactory: () => new Reconcilers() },
        PlatformLifecycle,
        StreamCommandHandler,
        StreamCommandBatchHandler,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [
        CLOCK,
        WorkflowRunner,
        Reconcilers,
        WorkflowHost,
        MAILER,
        OUTBOX,
        PASSWORD_HASHER,
        APP_CONFIG,
        DATA_FOLDER,
        EVENT_STORE,
        DOCUMENT_STORE,
        JOB_SCHEDULER,
        FILE_STORE,
        EventSerializer,
        CommandExecutor,
        Commands,
        StreamReader,
        ReadModels,
        ProjectionRunner,
        MetricsService,
        HttpDrain,
        RequestRateLimiter,
        PlatformLifecycle,
        StorageHealth,
      ],
    };
  }
}
