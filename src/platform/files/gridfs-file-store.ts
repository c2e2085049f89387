/**
 * Server FileStore: MongoDB GridFS (the official driver's GridFSBucket). The file's id is the GridFS file's
 * `_id` (a random hex string of ours, not an ObjectId); its description is the GridFS file document's
 * `metadata`. A write that goes past its limit is aborted: GridFS removes the chunks already written.
 */
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';

import { type Collection, GridFSBucket, type MongoClient } from 'mongodb';

import { type Clock, SystemClock } from '../clock/clock';
import { FILE_ID, type FileStore, type FileToStore, type StoredFile } from './file-store.port';
import { asStream, Measured } from './limited-stream';

interface FileDocument {
  _id: string;
  length: number;
  metadata?: StoredFile;
}

export class GridFsFileStore implements FileStore {
  private readonly bucket: GridFSBucket;
  private readonly files: Collection<FileDocument>;

  constructor(
    private readonly client: MongoClient,
    dbName: string,
    bucketName = 'files',
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.bucket = new GridFSBucket(client.db(dbName), { bucketName });
    this.files = client.db(dbName).collection<FileDocument>(`${bucketName}.files`);
  }

  async put(file: FileToStore): Promise<StoredFile> {
    const id = randomBytes(16).toString('hex');
    const measured = new Measured(file.maxBytes);
    const upload = this.bucket.openUploadStreamWithId(id as never, id, { metadata: { contentType: file.contentType } });
    try {
      await pipeline(asStream(file.data), measured, upload);
    } catch (error) {
      await upload.abort().catch(() => undefined);
      await this.bucket.delete(id as never).catch(() => undefined);
      throw error;
    }
    const stored: StoredFile = {
      id,
      contentType: file.contentType,
      ...(file.filename ? { filename: file.filename } : {}),
      size: measured.size,
      sha256: measured.digest(),
      storedAt: this.clock.now().toISOString(),
      metadata: file.metadata ?? {},
    };
    // The description is known once the bytes are measured: it goes into the GridFS file document's metadata.
    await this.files.updateOne({ _id: id }, { $set: { metadata: stored } });
    return stored;
  }

  async stat(id: string): Promise<StoredFile | null> {
    if (!FILE_ID.test(id)) return null;
    const found = await this.files.findOne({ _id: id });
    return found?.metadata ?? null;
  }

  async open(id: string) {
    const file = await this.stat(id);
    return file ? { file, stream: this.bucket.openDownloadStream(id as never) } : null;
  }

  async read(id: string): Promise<Buffer | null> {
    const opened = await this.open(id);
    if (!opened) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async delete(id: string): Promise<boolean> {
    if (!(await this.stat(id))) return false;
    await this.bucket.delete(id as never);
    return true;
  }

  async ping(): Promise<void> {
    await this.client.db('admin').command({ ping: 1 });
  }

  async close(): Promise<void> {}
}
