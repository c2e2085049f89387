import { createHash } from 'node:crypto';

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

import type { Clock } from '../../../platform/clock/clock';
import type { Principal } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { newSecretToken } from '../../../platform/security/secret-token';
import { CLOCK, JOB_SCHEDULER } from '../../../platform/tokens';
import { AccountMails } from '../account-mails';
import { Accounts } from '../accounts';
import { accountCommands } from '../identity.commands';
import { normalizeLogin } from '../identity.types';

/** …a reset link is valid 30 minutes (it is asked for by the person who uses it, right away). */
export const RESET_TTL_MS = 30 * 60 * 1000;
export const RESET_JOB = 'identity.password-reset';

const SYSTEM: Principal = { userId: 'system', role: 'system' };

/**
 * « Mot de passe oublié » : answered at once and identically for every identifiant; a job does the work
 * (the link goes to the e-mail on file, if there is an active account), so neither the answer nor its
 * timing tells whether the identifiant exists. One job per identifiant and minute absorbs floods.
 */
@Injectable()
export class ForgotPassword implements OnModuleInit {
  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accounts: Accounts,
    private readonly mails: AccountMails,
    private readonly commands: Commands,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ accountId: string }>({
      name: RESET_JOB,
      attempts: 5,
      backoffMs: 2000,
      handler: async (job) => this.sendResetLink(job.payload.accountId, `job-${job.id}`),
    });
  }

  async execute(loginInput: string): Promise<void> {
    const accountId = normalizeLogin(loginInput);
    const minute = Math.floor(this.clock.now().getTime() / 60_000);
    const jobId = `${createHash('sha256').update(accountId).digest('hex').slice(0, 32)}-${minute}`;
    await this.jobs.schedule(RESET_JOB, jobId, { accountId });
  }

  private async sendResetLink(accountId: string, correlationId: string): Promise<void> {
    const account = await this.accounts.load(accountId);
    if (!account?.email) return;
    const { token, hash } = newSecretToken();
    const expiresAt = new Date(this.clock.now().getTime() + RESET_TTL_MS).toISOString();
    const result = await this.commands.send(
      accountCommands,
      accountId,
      { type: 'RequestPasswordReset', tokenHash: hash, expiresAt },
      { principal: SYSTEM, correlationId },
    );
    if (result.events.length === 0) return; // not an active account: nothing is sent
    await this.mails.resetLink({ ...account, email: account.email }, token, expiresAt, correlationId);
  }
}
