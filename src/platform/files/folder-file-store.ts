/**
 * Embedded FileStore: one file per stored file in a folder of the data directory, under its random id (two
 * levels of subfolders by the id's first characters), with its description beside it (`<id>.json`). A file
 * is written to a temporary name and renamed once complete and measured, so a crash or a refused upload
 * never leaves a partial file under an id.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import { type Clock, SystemClock } from '../clock/clock';
import { FILE_ID, type FileStore, type FileToStore, type StoredFile } from './file-store.port';
import { asStream, Measured } from './limited-stream';

export class FolderFileStore implements FileStore {
  private readonly root: string;

  constructor(
    root: string,
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.root = path.resolve(root);
  }

  private pathOf(id: string): string {
    if (!FILE_ID.test(id)) throw new Error(`Invalid file id ${JSON.stringify(id)}`);
    return path.join(this.root, id.slice(0, 2), id.slice(2, 4), id);
  }

  async put(file: FileToStore): Promise<StoredFile> {
    const id = randomBytes(16).toString('hex');
    const target = this.pathOf(id);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    const measured = new Measured(file.maxBytes);
    try {
      await pipeline(asStream(file.data), measured, createWriteStream(partial, { flags: 'wx' }));
    } catch (error) {
      await rm(partial, { force: true });
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
    await writeFile(`${target}.json`, JSON.stringify(stored));
    await rename(partial, target);
    return stored;
  }

  async stat(id: string): Promise<StoredFile | null> {
    if (!FILE_ID.test(id)) return null;
    try {
      await stat(this.pathOf(id));
      return JSON.parse(await readFile(`${this.pathOf(id)}.json`, 'utf8')) as StoredFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async open(id: string) {
    const file = await this.stat(id);
    return file ? { file, stream: createReadStream(this.pathOf(id)) } : null;
  }

  async read(id: string): Promise<Buffer | null> {
    return (await this.stat(id)) ? readFile(this.pathOf(id)) : null;
  }

  async delete(id: string): Promise<boolean> {
    if (!(await this.stat(id))) return false;
    await rm(this.pathOf(id), { force: true });
    await rm(`${this.pathOf(id)}.json`, { force: true });
    return true;
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async close(): Promise<void> {}
}
