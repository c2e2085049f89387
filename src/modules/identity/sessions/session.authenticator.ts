import { Injectable } from '@nestjs/common';

import type { Authenticator } from '../../../platform/auth/authenticator.port';
import type { Principal } from '../../../platform/commands/command-context';
import { SessionStore } from './session-store';

/** Bearer tokens are server-side sessions (see SessionStore): the guard's one source of principals. */
@Injectable()
export class SessionAuthenticator implements Authenticator {
  constructor(private readonly sessions: SessionStore) {}

  authenticate(token: string): Promise<Principal | null> {
    return this.sessions.resolve(token);
  }
}
