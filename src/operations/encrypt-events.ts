/**
 * Migration of events written before crypto-shredding (embedded runtime): every personal leaf still in clear is
 * encrypted with its family's key (created when missing), in place, page by page, each page in one transaction.
 * Idempotent (encrypted leaves are left as they are) and resumable (run it again after an interruption).
 *
 * Rewriting stored events is what an event store otherwise never does: this is a one-off, documented operation,
 * run with the portal stopped (it takes the data folder's lock through the caller), after a backup. Events of an
 * erased family are left untouched (their key is gone: those leaves can only be read as they are, which is why
 * the migration must run before any erasure of a family with old events). EventStoreDB events cannot be
 * rewritten in place: see README, « Données personnelles : chiffrement et effacement ».
 */
import { join } from 'node:path';

import { ALL_EVENT_TYPES } from '../app.events';
import type { Clock } from '../platform/clock/clock';
import { EVENTS_FILE } from '../platform/data-folder/data-folder';
import { familyIdOf, type StoredEvent } from '../platform/event-store/event-store.port';
import { EventSerializer } from '../platform/events/event-serializer';
import { FamilyKeyRing } from '../platform/events/family-key-ring';
import { SqliteFamilyKeyStore } from '../platform/events/sqlite-family-key-store';
import { openDatabase } from '../platform/sqlite/open-database';

const PAGE = 1000;

interface Row {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export interface EncryptionReport {
  scanned: number;
  encrypted: number;
  erasedFamiliesSkipped: number;
}

export async function encryptExistingEvents(
  dataDir: string,
  clock: Clock,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<EncryptionReport> {
  const file = join(dataDir, EVENTS_FILE);
  const db = openDatabase(file, { synchronous: 'FULL' });
  const keys = new FamilyKeyRing(new SqliteFamilyKeyStore(file), clock);
  const serializer = new EventSerializer(keys).register(ALL_EVENT_TYPES);
  const report: EncryptionReport = { scanned: 0, encrypted: 0, erasedFamiliesSkipped: 0 };
  try {
    const total = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const page = db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
    const update = db.prepare('UPDATE events SET data = ? WHERE position = ?');
    for (let from = 0; ;) {
      const rows = page.all(from, PAGE) as Row[];
      if (rows.length === 0) break;
      const stored: StoredEvent[] = rows.map((r) => ({
        id: r.event_id,
        streamId: r.stream_id,
        revision: r.revision,
        position: r.position,
        type: r.type,
        data: JSON.parse(r.data) as Record<string, unknown>,
        metadata: JSON.parse(r.metadata) as Record<string, unknown>,
        recordedAt: r.recorded_at,
      }));
      const families = serializer.familiesOf(stored);
      await keys.load(families);
      const living = [...families].filter((id) => keys.keyOf(id) !== 'erased');
      await keys.ensure(living);
      const updates: [string, number][] = [];
      for (const [i, event] of stored.entries()) {
        const familyId = familyIdOf(event);
        if (!familyId || !serializer.isKnown(event.type)) continue;
        if (keys.keyOf(familyId) === 'erased') {
          report.erasedFamiliesSkipped += 1;
          continue;
        }
        const data = JSON.stringify(serializer.protectStored(event));
        if (data !== rows[i].data) updates.push([data, event.position]);
      }
      db.transaction(() => {
        for (const [data, position] of updates) update.run(data, position);
      }).immediate();
      report.scanned += rows.length;
      report.encrypted += updates.length;
      from = rows[rows.length - 1].position;
      onProgress(report.scanned, total);
    }
    return report;
  } finally {
    db.close();
    await keys.close();
  }
}
