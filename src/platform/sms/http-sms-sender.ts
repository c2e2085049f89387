import { randomUUID } from 'node:crypto';

import type { Clock } from '../clock/clock';
import { checkSms, type SentSms, type SmsMessage, type SmsSender } from './sms-sender.port';

/**
 * Server SmsSender: POST `{ "to": "+33612345678", "text": "…", "reference": "<id>" }` as JSON to the provider's
 * URL (SMS_URL; credentials, if any, in the URL's user info become HTTP Basic). Any answer but 2xx, or no
 * answer within 10 s, fails the send (the notification job retries it).
 */
export class HttpSmsSender implements SmsSender {
  private readonly endpoint: string;
  private readonly authorization?: string;

  constructor(
    url: string,
    private readonly clock: Clock,
    private readonly timeoutMs = 10_000,
  ) {
    const parsed = new URL(url);
    if (parsed.username) {
      this.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.endpoint = parsed.toString();
  }

  async send(message: SmsMessage): Promise<SentSms> {
    const { to, text } = checkSms(message);
    const id = randomUUID();
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.authorization ? { authorization: this.authorization } : {}),
        ...(message.correlationId ? { 'x-correlation-id': message.correlationId } : {}),
      },
      body: JSON.stringify({ to, text, reference: id }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // the body is not needed: read it so the connection is reused
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`SMS provider answered ${response.status}`);
    return {
      id,
      to,
      text,
      sentAt: this.clock.now().toISOString(),
      ...(message.correlationId ? { correlationId: message.correlationId } : {}),
    };
  }

  async close(): Promise<void> {}
}
