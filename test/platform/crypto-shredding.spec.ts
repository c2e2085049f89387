/**
 * Crypto-shredding in the serializer (protect / reveal with per-family keys) and the migration of events written
 * before it, on SQLite files in a temporary folder.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ALL_EVENT_TYPES } from '../../src/app.events';
import { familyEvents } from '../../src/modules/families';
import { encryptExistingEvents } from '../../src/operations/encrypt-events';
import { SettableClock } from '../../src/platform/clock/clock';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite-event-store';
import { EventSerializer } from '../../src/platform/events/event-serializer';
import { ERASED_TEXT, FamilyKeyRing } from '../../src/platform/events/family-key-ring';
import { KeyLoadingEventStore } from '../../src/platform/events/key-loading-event-store';
import { SqliteFamilyKeyStore } from '../../src/platform/events/sqlite-family-key-store';
import Database from '../../src/platform/sqlite/sqlite-driver';

const CLOCK = new SettableClock('2026-11-16T09:00:00Z');
const meta = (familyId: string) => ({
  eventId: randomUUID(),
  correlationId: 'c',
  causationId: 'c',
  userId: 'agent',
  role: 'staff',
  familyId,
  recordedAt: '2026-11-16T09:00:00Z',
});
const guardian = {
  civility: 'M.',
  lastName: 'DUPONT',
  firstName: 'JEAN',
  address: { line1: '12 RUE DES BONBONS', postalCode: '31400', city: 'SAINT-JEAN' },
  phones: { home: '01 02 03 04 05' },
  emailConsent: true,
};
const registered = (familyId: string) => ({
  type: 'FamilyRegistered',
  data: {
    familyId,
    familyNumber: familyId,
    commune: 'SAINT-JEAN',
    guardian,
    children: [{ childId: 'c1', firstName: 'LUCIE' }],
    registeredAt: 'x',
  },
});

describe('crypto-shredding', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crypto-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function setUp() {
    const file = join(dir, 'events.sqlite');
    const keys = new FamilyKeyRing(new SqliteFamilyKeyStore(file), CLOCK);
    const serializer = new EventSerializer(keys).register([...familyEvents.definitions]);
    const raw = new SqliteEventStore(file);
    const store = new KeyLoadingEventStore(raw, serializer, keys);
    return { file, keys, serializer, store, close: async () => (await store.close(), await keys.close()) };
  }

  it('encrypts each personal leaf with the family key, keeps the shape, and reads it back', async () => {
    const { file, serializer, store, close } = setUp();
    const event = registered('fam-1');
    await serializer.prepare([event as never], { familyId: 'fam-1' });
    const stored = serializer.serialize(event as never, meta('fam-1'));
    const rawGuardian = stored.data.guardian as typeof guardian;
    expect(rawGuardian.lastName).toMatch(/^pii:v1:s:/);
    expect(rawGuardian.address.line1).toMatch(/^pii:v1:s:/);
    expect(rawGuardian.emailConsent).toMatch(/^pii:v1:b:/);
    expect(stored.data.familyNumber).toBe('fam-1'); // not a personal path
    await store.appendToStream('family-fam-1', [stored], 'no_stream');
    const [read] = await store.readStream('family-fam-1');
    expect(serializer.deserialize(read).data).toEqual(event.data);
    const row = new Database(file, { readonly: true }).prepare('SELECT data FROM events').get() as { data: string };
    expect(row.data).not.toContain('DUPONT');
    expect(row.data).not.toContain('BONBONS');
    await close();
  });

  it('reads « données effacées » once the key is destroyed, leaves other families readable, and refuses new writes', async () => {
    const { keys, serializer, store, close } = setUp();
    for (const familyId of ['fam-1', 'fam-2']) {
      const event = registered(familyId);
      await serializer.prepare([event as never], { familyId });
      await store.appendToStream(`family-${familyId}`, [serializer.serialize(event as never, meta(familyId))], 'no_stream');
    }
    await keys.destroy('fam-1', '2026-11-17T00:00:00Z');
    const [erased] = await store.readStream('family-fam-1');
    const data = serializer.deserialize(erased).data as {
      guardian: typeof guardian;
      children: { firstName: string }[];
      familyNumber: string;
    };
    expect(data.guardian.lastName).toBe(ERASED_TEXT);
    expect(data.guardian.address).toEqual({ line1: ERASED_TEXT, postalCode: ERASED_TEXT, city: ERASED_TEXT });
    expect(data.guardian.emailConsent).toBeNull();
    expect(data.children).toEqual([{ childId: 'c1', firstName: ERASED_TEXT }]);
    expect(data.familyNumber).toBe('fam-1');
    const [other] = await store.readStream('family-fam-2');
    expect((serializer.deserialize(other).data as { guardian: typeof guardian }).guardian.lastName).toBe('DUPONT');
    await expect(serializer.prepare([registered('fam-1') as never], { familyId: 'fam-1' })).rejects.toMatchObject({
      code: 'FAMILY_ERASED',
    });
    // a second process sees the destruction (the store keeps a tombstone)
    const again = new FamilyKeyRing(new SqliteFamilyKeyStore(join(dir, 'events.sqlite')), CLOCK);
    await again.load(['fam-1']);
    expect(again.keyOf('fam-1')).toBe('erased');
    await again.close();
    await close();
  });

  it('migrates events written in clear: encrypted in place, readable with the key, idempotent', async () => {
    const file = join(dir, 'events.sqlite');
    const plain = new EventSerializer().register(ALL_EVENT_TYPES);
    const old = new SqliteEventStore(file);
    await old.appendToStream('family-fam-9', [plain.serialize(registered('fam-9') as never, meta('fam-9'))], 'no_stream');
    await old.close();
    const first = await encryptExistingEvents(dir, CLOCK);
    expect(first).toEqual({ scanned: 1, encrypted: 1, erasedFamiliesSkipped: 0 });
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare('SELECT data FROM events').get() as { data: string };
    raw.close();
    expect(row.data).not.toContain('DUPONT');
    expect(row.data).toContain('pii:v1:');
    expect(await encryptExistingEvents(dir, CLOCK)).toEqual({ scanned: 1, encrypted: 0, erasedFamiliesSkipped: 0 });
    const { serializer, store, close } = setUp();
    const [read] = await store.readStream('family-fam-9');
    expect((serializer.deserialize(read).data as { guardian: typeof guardian }).guardian).toEqual(guardian);
    await close();
  });
});
