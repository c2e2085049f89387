/**
 * The benchmarks' parents: each benchmark family gets a real parent account (created and activated through
 * the identity decider, one argon2id hash shared by all, computed once) and a real server-side session.
 * The load generators name a parent `bench-parent-<familyId>`; `authenticator` swaps that name for the
 * family's session token and resolves it through the real SessionStore, so every measured request pays for
 * session validation as a parent's request does.
 */
import type { INestApplication } from '@nestjs/common';

import { accountCommands } from '../src/modules/identity';
import { SessionStore } from '../src/modules/identity/sessions/session-store';
import type { Authenticator } from '../src/platform/auth/authenticator.port';
import type { CommandContext } from '../src/platform/commands/command-context';
import { Commands } from '../src/platform/commands/stream-command';
import { Argon2idHasher } from '../src/platform/security/password-hasher';
import { newSecretToken } from '../src/platform/security/secret-token';
import { benchPrincipal } from './bench-families';

export class BenchParents {
  private readonly tokens = new Map<string, string>();
  private app?: INestApplication;
  private passwordHash?: Promise<string>;

  /** Give it to createApp; it answers once `attach` has been called. */
  readonly authenticator: Authenticator = {
    authenticate: async (token: string) => {
      const familyId = benchPrincipal(token)?.familyId;
      const real = familyId ? this.tokens.get(familyId) : undefined;
      return real && this.app ? this.app.get(SessionStore).resolve(real) : null;
    },
  };

  attach(app: INestApplication): void {
    this.app = app;
  }

  /** Create, activate and log in the parent account of a family already registered. */
  async add(familyId: string, context: CommandContext): Promise<void> {
    if (!this.app) throw new Error('BenchParents.attach(app) first');
    const commands = this.app.get(Commands);
    this.passwordHash ??= new Argon2idHasher().hash('Bench-Parent-2026');
    const passwordHash = await this.passwordHash;
    const accountId = `bench-${familyId}`;
    const { hash } = newSecretToken();
    await commands.send(
      accountCommands,
      accountId,
      {
        type: 'CreateAccount',
        login: accountId,
        role: 'parent',
        familyId,
        email: `${accountId}@bench.example.fr`,
        displayName: 'PARENT BENCH',
        activationTokenHash: hash,
        activationExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      context,
    );
    await commands.send(accountCommands, accountId, { type: 'Activate', tokenHash: hash, passwordHash }, context);
    const session = await this.app.get(SessionStore).open({ accountId, credentialsVersion: 1 }, 'bench');
    this.tokens.set(familyId, session.token);
  }
}
