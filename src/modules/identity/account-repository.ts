import { Inject, Injectable } from '@nestjs/common';

import { fold } from '../../platform/domain/decider';
import type { EventStore } from '../../platform/event-store/event-store.port';
import { EventSerializer } from '../../platform/events/event-serializer';
import { EVENT_STORE } from '../../platform/tokens';
import { identityDecider } from './identity.decider';
import { accountStream, IdentityEvent } from './identity.events';
import type { Account } from './identity.types';

/** An account as its own stream says it is now (authoritative; the read model may lag). */
@Injectable()
export class AccountRepository {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
  ) {}

  async load(accountId: string): Promise<Account | null> {
    const stored = await this.events.readStream(accountStream(accountId));
    return fold(
      identityDecider,
      stored.map((e) => this.serializer.deserialize<IdentityEvent>(e)),
    ).account;
  }
}
