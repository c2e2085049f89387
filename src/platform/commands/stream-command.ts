import { Injectable } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';

import type { CommandMeta, CommandTarget, WithoutMeta } from '../domain/command-target';
import type { Decider, Decision, DomainEvent } from '../domain/decider';
import { MetricsService } from '../observability/metrics.service';
import { actorOf, type CommandContext } from './command-context';
import { CommandExecutor, type ExecuteManyResult, type ExecuteRequest, ExecuteResult } from './command-executor';

/**
 * The bus message of every command on an event stream: which stream, which decider, the domain command
 * (built with the instant the pipeline accepts it: deciders read no clock) and who sends it. Built from a
 * command target (`StreamCommand.to`), which names the stream and the decider once for each kind of stream;
 * one handler serves them all.
 */
export class StreamCommand<C = unknown, E extends DomainEvent = DomainEvent, S = unknown> extends Command<ExecuteResult<E, S>> {
  constructor(
    readonly streamId: string,
    readonly decider: Decider<C, E, S, E[] | Decision<E>>,
    readonly build: (at: string) => C,
    readonly context: CommandContext,
    readonly source: { prelude?: ExecuteRequest<C, E, S>['prelude']; snapshotVersion?: number } = {},
  ) {
    super();
  }

  /** The command `payload` for the stream of `target` named by `key`, sent with `context`. */
  static to<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey>(
    target: CommandTarget<K, C, E, S, F>,
    key: K,
    payload: WithoutMeta<C, F>,
    context: CommandContext,
  ): StreamCommand<C, E, S> {
    const actor = actorOf(context.principal);
    const fields = target.keyFields(key);
    return new StreamCommand(
      target.streamId(key),
      target.decider,
      (at) => ({ ...payload, ...fields, at, actor }) as unknown as C,
      { ...context, familyId: context.familyId ?? target.familyId(key) },
      { prelude: target.prelude?.(key), snapshotVersion: target.snapshotVersion },
    );
  }
}

/** Several commands for ONE stream, decided in order and appended together (CommandExecutor.executeMany). */
export class StreamCommandBatch<C = unknown, E extends DomainEvent = DomainEvent, S = unknown> extends Command<ExecuteManyResult> {
  constructor(
    readonly streamId: string,
    readonly decider: Decider<C, E, S, E[] | Decision<E>>,
    readonly items: { build: (at: string) => C; context: CommandContext }[],
    readonly source: { prelude?: ExecuteRequest<C, E, S>['prelude']; snapshotVersion?: number } = {},
  ) {
    super();
  }

  static to<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey>(
    target: CommandTarget<K, C, E, S, F>,
    key: K,
    items: { payload: WithoutMeta<C, F>; context: CommandContext }[],
  ): StreamCommandBatch<C, E, S> {
    const fields = target.keyFields(key);
    return new StreamCommandBatch(
      target.streamId(key),
      target.decider,
      items.map(({ payload, context }) => {
        const actor = actorOf(context.principal);
        return {
          build: (at: string) => ({ ...payload, ...fields, at, actor }) as unknown as C,
          context: { ...context, familyId: context.familyId ?? target.familyId(key) },
        };
      }),
      { prelude: target.prelude?.(key), snapshotVersion: target.snapshotVersion },
    );
  }
}

/** Sends commands through the bus: `commands.send(target, key, payload, context)`. */
@Injectable()
export class Commands {
  constructor(private readonly bus: CommandBus) {}

  send<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey>(
    target: CommandTarget<K, C, E, S, F>,
    key: K,
    payload: WithoutMeta<C, F>,
    context: CommandContext,
  ): Promise<ExecuteResult<E, S>> {
    return this.bus.execute(StreamCommand.to(target, key, payload, context));
  }

  /** Several commands for the stream of `target` named by `key`: decided in order, appended in one append. */
  sendBatch<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey>(
    target: CommandTarget<K, C, E, S, F>,
    key: K,
    items: { payload: WithoutMeta<C, F>; context: CommandContext }[],
  ): Promise<ExecuteManyResult> {
    return this.bus.execute(StreamCommandBatch.to(target, key, items));
  }
}

/** Read the stream, decide, append with the revision read (retried on conflict by the executor); count it. */
@CommandHandler(StreamCommand)
export class StreamCommandHandler implements ICommandHandler<StreamCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly metrics: MetricsService,
  ) {}

  async execute(message: StreamCommand): Promise<ExecuteResult<DomainEvent, unknown>> {
    let type = 'unknown';
    try {
      const result = await this.executor.execute({
        streamId: message.streamId,
        decider: message.decider,
        prelude: message.source.prelude,
        snapshotVersion: message.source.snapshotVersion,
        command: (at) => {
          const command = message.build(at);
          type = (command as { type?: string }).type ?? 'unknown';
          return command;
        },
        context: message.context,
      });
      this.metrics.commands.inc({ command: type, outcome: 'accepted' });
      return result;
    } catch (error) {
      this.metrics.commands.inc({ command: type, outcome: 'refused' });
      throw error;
    }
  }
}

/** A batch of commands for one stream: one read, the decisions in order, one append; each command counted. */
@CommandHandler(StreamCommandBatch)
export class StreamCommandBatchHandler implements ICommandHandler<StreamCommandBatch> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly metrics: MetricsService,
  ) {}

  async execute(message: StreamCommandBatch): Promise<ExecuteManyResult> {
    const types: string[] = [];
    try {
      const result = await this.executor.executeMany({
        streamId: message.streamId,
        decider: message.decider,
        prelude: message.source.prelude,
        snapshotVersion: message.source.snapshotVersion,
        items: message.items.map(({ build, context }, index) => ({
          command: (at: string) => {
            const command = build(at);
            // a conflict decides the batch again: each command is counted once
            types[index] = (command as { type?: string }).type ?? 'unknown';
            return command;
          },
          context,
        })),
      });
      for (const command of types) if (command) this.metrics.commands.inc({ command, outcome: 'accepted' });
      return result;
    } catch (error) {
      for (const command of types) if (command) this.metrics.commands.inc({ command, outcome: 'refused' });
      throw error;
    }
  }
}
