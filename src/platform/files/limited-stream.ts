import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';

import { FileTooLargeError } from './file-store.port';

/** Counts and hashes the bytes going through, and fails with FileTooLargeError past `maxBytes`. */
export class Measured extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(new FileTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export function asStream(data: Buffer | Readable): Readable {
  return Buffer.isBuffer(data) ? Readable.from([data]) : data;
}
