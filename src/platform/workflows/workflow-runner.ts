import { type Clock, SystemClock } from '../clock/clock';
import type { DocumentStore } from '../document-store/document-store.port';
import type { EventStore, Subscription } from '../event-store/event-store.port';
import type { EventSerializer } from '../events/event-serializer';
import type { ProjectedEvent } from '../projections/projection';
import type { WorkflowDefinition } from './workflow';

export interface WorkflowStatus {
  name: string;
  checkpoint: number;
  head: number;
  lagPositions: number;
  /** age of the oldest event after the checkpoint, in seconds (0 when caught up) */
  lagSeconds: number;
  running: boolean;
  lastError?: string;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

/**
 * Runs workflows: one catch-up subscription each, from a checkpoint kept in the DocumentStore, events
 * handled one at a time in commit order. The checkpoint moves (in groups) after the handlers succeeded; a
 * handler that throws makes the subscription drop and retry the same event with a growing delay (never
 * skipped, never silent). A crash redelivers the events after the saved checkpoint: handlers are idempotent.
 */
export class WorkflowRunner {
  private readonly definitions: WorkflowDefinition[] = [];
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly errors = new Map<string, string>();
  private readonly savers = new Map<string, () => Promise<void>>();

  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly serializer: EventSerializer,
    private readonly logger?: Logger,
    /** for lag in seconds (default: the system clock) */
    private readonly clock: Clock = new SystemClock(),
  ) {}

  register(...definitions: WorkflowDefinition[]): this {
    this.definitions.push(...definitions);
    return this;
  }

  async start(): Promise<void> {
    for (const workflow of this.definitions) {
      const name = checkpointName(workflow);
      const wanted = new Set(workflow.eventTypes);
      const from = await this.documents.getCheckpoint(name);
      // The checkpoint moves in groups (one flushed commit per event would cost more than most handlers);
      // after a crash, at most a group is delivered again, which idempotent handlers absorb. A timer moves
      // it once the stream goes quiet.
      let pending: number | undefined;
      let unsaved = 0;
      let timer: NodeJS.Timeout | undefined;
      const save = async () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (pending === undefined) return;
        const position = pending;
        pending = undefined;
        unsaved = 0;
        await this.documents.commitBatch([], { name, position });
      };
      this.savers.set(workflow.name, save);
      const handleBatch = workflow.handleBatch?.bind(workflow);
      // Batches (workflows with handleBatch): the events wanted are gathered while the subscription delivers
      // what is already in the log, and handed over together when it reaches the head (or the batch is full);
      // the checkpoint then moves past the batch at once. onEvent returns before a gathered event is handled,
      // so the batch lives here: if handling it fails, the event that triggered it throws, the subscription
      // delivers that event again after its backoff, and the same batch (kept) is tried again. A crash loses
      // the batch but not the checkpoint, which never passed it.
      const batch: ProjectedEvent[] = [];
      let gathered: number | undefined;
      let knownHead = 0;
      const reachedHead = async (position: number): Promise<boolean> => {
        if (position < knownHead) return false;
        knownHead = await this.events.headPosition();
        return position >= knownHead;
      };
      this.subscriptions.set(
        workflow.name,
        this.events.subscribeToAll({
          fromPosition: from,
          onEvent: async (stored) => {
            if (handleBatch) {
              if (gathered === undefined || stored.position > gathered) {
                gathered = stored.position;
                if (wanted.has(stored.type)) batch.push(this.serializer.toProjected(stored));
              }
              if (batch.length === 0) {
                // nothing gathered: the checkpoint moves in groups, as for the other workflows (below)
              } else if (batch.length >= BATCH_LIMIT || (await reachedHead(stored.position))) {
                await handleBatch([...batch]);
                batch.length = 0;
                pending = stored.position;
                this.errors.delete(workflow.name);
                await save();
                // Let HTTP requests in between two batches: a backlog must not hold the event loop.
                await new Promise((resolve) => setImmediate(resolve));
                return;
              } else return;
            } else if (wanted.has(stored.type)) {
              await workflow.handle(this.serializer.toProjected(stored));
              // Let HTTP requests in between two events: a backlog must not hold the event loop.
              await new Promise((resolve) => setImmediate(resolve));
            }
            pending = stored.position;
            unsaved += 1;
            this.errors.delete(workflow.name);
            if (unsaved >= 100) await save();
            else if (!timer) {
              timer = setTimeout(() => {
                timer = undefined;
                void save().catch((error) => this.logger?.warn({ workflow: workflow.name, err: error }, 'workflow checkpoint not saved'));
              }, 50);
            }
          },
          onDropped: (error, attempt) => {
            this.errors.set(workflow.name, error instanceof Error ? error.message : String(error));
            this.logger?.warn({ workflow: workflow.name, attempt, err: error }, 'workflow failed on an event; retrying it');
          },
          backoff: { initialMs: 200, maxMs: 30_000 },
        }),
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.subscriptions.values()].map((s) => s.stop()));
    this.subscriptions.clear();
    await Promise.all([...this.savers.values()].map((save) => save()));
    this.savers.clear();
  }

  private async handledUpTo(workflow: WorkflowDefinition, position: number): Promise<boolean> {
    const checkpoint = (await this.documents.getCheckpoint(checkpointName(workflow))) ?? 0;
    if (checkpoint >= position) return true;
    const wanted = new Set(workflow.eventTypes);
    const pending = await this.events.readAll({ fromPosition: checkpoint, maxCount: 2_000 });
    if (pending.length === 2_000 && pending[pending.length - 1].position < position) return false; // far behind
    return !pending.some((e) => e.position <= position && wanted.has(e.type));
  }

  async statuses(): Promise<WorkflowStatus[]> {
    const head = await this.events.headPosition();
    return Promise.all(
      this.definitions.map(async (w) => {
        const checkpoint = (await this.documents.getCheckpoint(checkpointName(w))) ?? 0;
        let lagSeconds = 0;
        if (head > checkpoint) {
          const [next] = await this.events.readAll({ fromPosition: checkpoint, maxCount: 1 });
          if (next) lagSeconds = Math.max(0, (this.clock.now().getTime() - Date.parse(next.recordedAt)) / 1000);
        }
        return {
          name: w.name,
          checkpoint,
          head,
          lagPositions: Math.max(0, head - checkpoint),
          lagSeconds,
          running: this.subscriptions.has(w.name),
          ...(this.errors.has(w.name) ? { lastError: this.errors.get(w.name) } : {}),
        };
      }),
    );
  }

  /**
   * Resolve when every workflow has handled the log up to `position` (tests, benchmarks). Ignored events
   * do not always move the checkpoint, so "handled" means: no event the workflow wants lies between its
   * checkpoint and `position`.
   */
  async waitForPosition(position: number, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const done = await Promise.all(this.definitions.map((w) => this.handledUpTo(w, position)));
      if (done.every(Boolean)) return;
      if (performance.now() > deadline) throw new Error(`Workflows did not reach position ${position} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Most events a batched workflow is handed at once. */
const BATCH_LIMIT = 500;

function checkpointName(workflow: WorkflowDefinition): string {
  return `workflow_${workflow.name.replace(/[^a-z0-9]+/gi, '_')}`;
}
