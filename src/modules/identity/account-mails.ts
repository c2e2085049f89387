import { Inject, Injectable, Logger } from '@nestjs/common';

import type { AppConfig } from '../../platform/config/config';
import { MAILER, Mailer } from '../../platform/mail/mailer.port';
import { APP_CONFIG } from '../../platform/tokens';
import type { Account } from './identity.types';

/** The e-mails of the account life cycle: activation and reset links, and the reset's confirmation. */
@Injectable()
export class AccountMails {
  private readonly logger = new Logger('Identity');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {}

  /** The activation mail; a failure is reported (staff can send a new link), not fatal to the creation. */
  async activation(account: Account, token: string, expiresAt: string, correlationId: string): Promise<boolean> {
    if (!account.email) return false;
    try {
      await this.mailer.send({
        to: account.email,
        template: 'account-activation',
        correlationId,
        data: {
          displayName: account.displayName,
          login: account.login,
          activationUrl: this.link('/activation', account.login, token),
          expiresAt,
          communeName: 'votre commune',
        },
      });
      return true;
    } catch (error) {
      this.logger.error({ err: error, accountId: account.accountId }, 'activation mail not sent');
      return false;
    }
  }

  async resetLink(account: Account & { email: string }, token: string, expiresAt: string, correlationId: string): Promise<void> {
    await this.mailer.send({
      to: account.email,
      template: 'password-reset',
      correlationId,
      data: {
        displayName: account.displayName,
        login: account.login,
        resetUrl: this.link('/mot-de-passe/reinitialiser', account.login, token),
        expiresAt,
      },
    });
  }

  /** The confirmation of a reset; a failure is logged, the new password stands. */
  async resetDone(account: Account, changedAt: string, correlationId: string): Promise<void> {
    if (!account.email) return;
    await this.mailer
      .send({
        to: account.email,
        template: 'password-reset-done',
        correlationId,
        data: { displayName: account.displayName, login: account.login, changedAt },
      })
      .catch((error: unknown) => this.logger.error({ err: error, accountId: account.accountId }, 'reset-done mail not sent'));
  }

  /** Links are built from PUBLIC_BASE_URL, never from the request's Host header. */
  private link(path: string, login: string, token: string): string {
    const url = new URL(`${this.config.publicBaseUrl}${path}`);
    url.searchParams.set('compte', login);
    url.searchParams.set('jeton', token);
    return url.toString();
  }
}
