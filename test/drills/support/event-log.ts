import { join } from 'node:path';

import Database from '../../../src/platform/sqlite/sqlite-driver';

/** The family ids registered in a data folder's event log, read straight from events.sqlite. */
export function registeredFamilies(dataDir: string): Set<string> {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db.prepare("SELECT stream_id FROM events WHERE type = 'FamilyRegistered'").all() as { stream_id: string }[];
    return new Set(rows.map((r) => r.stream_id.replace(/^family-/, '')));
  } finally {
    db.close();
  }
}
