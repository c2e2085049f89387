import { Injectable } from '@nestjs/common';

import { StreamReader } from '../../platform/commands/stream-reader';
import { accountCommands } from './identity.commands';
import type { Account } from './identity.types';

/** An account as its own stream says it is now (authoritative; the read model may lag). */
@Injectable()
export class Accounts {
  constructor(private readonly reader: StreamReader) {}

  async load(accountId: string): Promise<Account | null> {
    return (await this.reader.state(accountCommands, accountId)).state.account;
  }
}
