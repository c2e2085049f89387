/**
 * FileStore contract against a real MongoDB server (GridFS). Runs only when MONGO_URL is set (the GitHub
 * workflow sets it with a MongoDB service container); no MongoDB server can run on every development machine.
 */
import { MongoClient } from 'mongodb';

import { GridFsFileStore } from '../../src/platform/files/gridfs-file-store';
import { fileStoreContract } from './file-store.contract';

const url = process.env.MONGO_URL;
if (!url) {
  console.warn('\n⚠️  GridFS FileStore contract suite NOT RUN: MONGO_URL is not set.\n');
}
const maybeDescribe = url ? describe : describe.skip;

maybeDescribe('GridFsFileStore (MongoDB server)', () => {
  fileStoreContract('GridFS', async (clock) => {
    const client = await MongoClient.connect(url!);
    const db = `portail_files_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    return {
      store: new GridFsFileStore(client, db, 'files', clock),
      cleanup: async () => {
        await client.db(db).dropDatabase();
        await client.close();
      },
    };
  });
});
