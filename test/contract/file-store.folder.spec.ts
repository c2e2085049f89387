import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FolderFileStore } from '../../src/platform/files/folder-file-store';
import { fileStoreContract } from './file-store.contract';

fileStoreContract('folder of the data directory', async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'files-'));
  return { store: new FolderFileStore(dir, clock), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('FolderFileStore', () => {
  it('leaves no partial file behind when an upload is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-'));
    const store = new FolderFileStore(dir);
    await expect(store.put({ contentType: 'image/png', data: Buffer.alloc(2048), maxBytes: 1024 })).rejects.toThrow();
    const left = (function walk(d: string): string[] {
      return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [e.name]));
    })(dir);
    expect(left).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
