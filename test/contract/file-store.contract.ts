/**
 * The FileStore contract, run against every adapter (folder: always; GridFS: when MONGO_URL is set).
 */
import { Readable } from 'node:stream';

import { SettableClock } from '../../src/platform/clock/clock';
import { type FileStore, FileTooLargeError } from '../../src/platform/files/file-store.port';

export function fileStoreContract(
  name: string,
  factory: (clock: SettableClock) => Promise<{ store: FileStore; cleanup(): Promise<void> }>,
) {
  describe(`FileStore contract: ${name}`, () => {
    let store: FileStore;
    let cleanup: () => Promise<void>;
    const clock = new SettableClock('2026-11-16T08:00:00.000Z');

    beforeEach(async () => {
      ({ store, cleanup } = await factory(clock));
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10_000, 7)]);

    it('stores a file under a random id and gives it back, byte for byte, with its description', async () => {
      const stored = await store.put({
        contentType: 'application/pdf',
        filename: 'facture AL-36.pdf',
        data: pdf,
        metadata: { familyId: 'f1' },
      });
      expect(stored).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        contentType: 'application/pdf',
        filename: 'facture AL-36.pdf',
        size: pdf.length,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        storedAt: '2026-11-16T08:00:00.000Z',
        metadata: { familyId: 'f1' },
      });
      expect(await store.stat(stored.id)).toEqual(stored);
      expect(await store.read(stored.id)).toEqual(pdf);
      const opened = await store.open(stored.id);
      const chunks: Buffer[] = [];
      for await (const chunk of opened!.stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks)).toEqual(pdf);
      const other = await store.put({ contentType: 'application/pdf', data: pdf });
      expect(other.id).not.toBe(stored.id);
      expect(other.sha256).toBe(stored.sha256);
    });

    it('streams a large upload without holding it, and refuses it past its limit, storing nothing', async () => {
      const chunk = Buffer.alloc(64 * 1024, 1);
      let produced = 0;
      const big = new Readable({
        read() {
          produced += chunk.length;
          this.push(produced > 8 * 1024 * 1024 ? null : chunk);
        },
      });
      await expect(store.put({ contentType: 'image/png', data: big, maxBytes: 1024 * 1024 })).rejects.toBeInstanceOf(FileTooLargeError);
      // it stopped reading soon after the limit: the 8 MiB were never all read
      expect(produced).toBeLessThan(4 * 1024 * 1024);
      const fits = await store.put({ contentType: 'image/png', data: Buffer.alloc(1024 * 1024, 2), maxBytes: 1024 * 1024 });
      expect(fits.size).toBe(1024 * 1024);
    });

    it('answers null for an unknown or malformed id, and deletes', async () => {
      expect(await store.stat('0'.repeat(32))).toBeNull();
      expect(await store.open('../../etc/passwd')).toBeNull();
      expect(await store.read('not-an-id')).toBeNull();
      const stored = await store.put({ contentType: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff]) });
      expect(await store.delete(stored.id)).toBe(true);
      expect(await store.delete(stored.id)).toBe(false);
      expect(await store.read(stored.id)).toBeNull();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
