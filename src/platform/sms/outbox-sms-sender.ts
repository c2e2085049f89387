import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Clock } from '../clock/clock';
import { checkSms, type SentSms, type SmsMessage, type SmsSender } from './sms-sender.port';

export function smsOutboxDir(dataDir: string): string {
  return join(dataDir, 'sms-outbox');
}

/** Embedded SmsSender: each SMS is a JSON file of the data folder's SMS outbox (written whole, then renamed). */
export class OutboxSmsSender implements SmsSender {
  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  async send(message: SmsMessage): Promise<SentSms> {
    const { to, text } = checkSms(message);
    const sent: SentSms = {
      id: randomUUID(),
      to,
      text,
      sentAt: this.clock.now().toISOString(),
      ...(message.correlationId ? { correlationId: message.correlationId } : {}),
    };
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${sent.sentAt.replace(/[:.]/g, '-')}-${sent.id}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(sent, null, 2));
    await rename(`${file}.tmp`, file);
    return sent;
  }

  /** The SMS sent, oldest first. */
  async list(): Promise<SentSms[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(this.dir, n), 'utf8')) as SentSms));
  }

  async close(): Promise<void> {}
}
