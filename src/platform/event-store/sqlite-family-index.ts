/**
 * The family index of the SQLite event store: which events concern which family (EventStore.readFamily).
 *
 * A table `event_families (family_id, position)` — primary key in that order, WITHOUT ROWID, so one family's
 * events are one contiguous range of the B-tree — filled by an AFTER INSERT trigger on `events` from
 * `data.familyId`, else `metadata.familyId` (the rule of `familyIdOf` in the port). The trigger runs inside the
 * append's own transaction: the index can never miss a committed event nor hold an uncommitted one, and the
 * append path's code does not change. Databases written before the index existed are indexed once, when a store
 * first opens them (the backfill below covers every event after the highest indexed position).
 */
import type { SqliteDatabase } from '../sqlite/open-database';

const FAMILY_OF = (row: string) =>
  `COALESCE(NULLIF(json_extract(${row}.data, '$.familyId'), ''), NULLIF(json_extract(${row}.metadata, '$.familyId'), ''))`;

/** `SELECT … FROM ${FAMILY_EVENTS_JOIN} WHERE f.family_id = ?` reads a family's events. */
export const FAMILY_EVENTS_JOIN = 'event_families f JOIN events e USING (position)';

/** Creates the index (table and trigger) and indexes what was appended before it existed. */
export function ensureFamilyIndex(db: SqliteDatabase): void {
  db.exec(`
      CREATE TABLE IF NOT EXISTS event_families (
        family_id TEXT    NOT NULL,
        position  INTEGER NOT NULL,
        PRIMARY KEY (family_id, position)
      ) WITHOUT ROWID;
      CREATE TRIGGER IF NOT EXISTS events_family_index AFTER INSERT ON events
      WHEN ${FAMILY_OF('NEW')} IS NOT NULL
      BEGIN
        INSERT OR IGNORE INTO event_families (family_id, position) VALUES (${FAMILY_OF('NEW')}, NEW.position);
      END;
    `);
  // backfill: events appended before this index existed (a no-op on an indexed database)
  db.transaction(() => {
    const indexed = db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM event_families').get() as { p: number };
    db.prepare(
      `INSERT OR IGNORE INTO event_families (family_id, position)
         SELECT ${FAMILY_OF('e')}, e.position FROM events e WHERE e.position > ? AND ${FAMILY_OF('e')} IS NOT NULL`,
    ).run(indexed.p);
  }).immediate();
}
