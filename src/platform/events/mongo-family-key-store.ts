/**
 * FamilyKeyStore on MongoDB (server runtime): a `family_keys` collection, `{ _id: familyId, key, createdAt,
 * erasedAt }`. Creation is an upsert with `$setOnInsert` (two racing writers agree on one key: both read back
 * the stored one); destruction unsets the key and sets `erasedAt`. Written against the driver's documented
 * behaviour: no MongoDB server runs on this project's machines.
 */
import { Binary, type Collection, MongoClient } from 'mongodb';

import type { FamilyKeyRecord, FamilyKeyStore } from './family-keys.port';

interface KeyDocument {
  _id: string;
  key?: Binary;
  createdAt: string;
  erasedAt?: string;
}

function toRecord(document: KeyDocument): FamilyKeyRecord {
  return document.erasedAt || !document.key
    ? { familyId: document._id, createdAt: document.createdAt, erasedAt: document.erasedAt ?? document.createdAt }
    : { familyId: document._id, createdAt: document.createdAt, key: Buffer.from(document.key.buffer) };
}

export class MongoFamilyKeyStore implements FamilyKeyStore {
  private readonly client: MongoClient;
  private readonly keys: Collection<KeyDocument>;

  constructor(url: string, database: string) {
    this.client = new MongoClient(url);
    this.keys = this.client.db(database).collection<KeyDocument>('family_keys');
  }

  async get(familyIds: string[]): Promise<FamilyKeyRecord[]> {
    const documents = await this.keys.find({ _id: { $in: [...new Set(familyIds)] } }).toArray();
    return documents.map(toRecord);
  }

  async createIfAbsent(familyId: string, key: Buffer, at: string): Promise<FamilyKeyRecord> {
    await this.keys.updateOne(
      { _id: familyId },
      { $setOnInsert: { key: new Binary(key), createdAt: at } },
      { upsert: true, writeConcern: { w: 'majority', journal: true } },
    );
    const stored = await this.keys.findOne({ _id: familyId }, { readConcern: { level: 'majority' } } as object);
    return toRecord(stored!);
  }

  async destroy(familyId: string, at: string): Promise<void> {
    await this.keys.updateOne(
      { _id: familyId },
      [{ $set: { erasedAt: { $ifNull: ['$erasedAt', at] }, createdAt: { $ifNull: ['$createdAt', at] } } }, { $unset: 'key' }],
      { upsert: true, writeConcern: { w: 'majority', journal: true } },
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
