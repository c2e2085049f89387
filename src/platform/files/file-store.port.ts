/**
 * FileStore port: files the portal keeps (message attachments, documents families provide, issued invoice
 * PDFs, exports). Stored under random ids, never under a name a user chose. Adapters: a folder of the data
 * directory (embedded) and MongoDB GridFS (server). Every adapter passes test/contract/file-store.contract.ts.
 *
 * Files are streamed both ways: a write stops, and stores nothing, as soon as it goes past `maxBytes`
 * (a 50 MB upload is refused without being held in memory).
 */
import type { Readable } from 'node:stream';

export interface FileToStore {
  /** the checked media type (decided from the bytes by the caller, not from a name or a header) */
  contentType: string;
  /** a name for the download (Content-Disposition); never used as a path */
  filename?: string;
  data: Buffer | Readable;
  /** refuse (FileTooLargeError, nothing stored) past this many bytes */
  maxBytes?: number;
  /** what the file belongs to, for operations (e.g. { familyId, kind: 'attachment' }) */
  metadata?: Record<string, string>;
}

export interface StoredFile {
  id: string;
  contentType: string;
  filename?: string;
  size: number;
  /** hex SHA-256 of the bytes */
  sha256: string;
  /** ISO instant */
  storedAt: string;
  metadata: Record<string, string>;
}

export interface FileStore {
  put(file: FileToStore): Promise<StoredFile>;
  /** The file's description, or null when there is none with this id. */
  stat(id: string): Promise<StoredFile | null>;
  /** The file's bytes as a stream, or null. */
  open(id: string): Promise<{ file: StoredFile; stream: Readable } | null>;
  /** The file's bytes at once (small files: PDFs), or null. */
  read(id: string): Promise<Buffer | null>;
  /** Returns true when a file was deleted. */
  delete(id: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`File larger than ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/** Injection token of the FileStore. */
export const FILE_STORE = Symbol('FILE_STORE');

/** File ids: 32 lowercase hex characters (128 random bits). */
export const FILE_ID = /^[0-9a-f]{32}$/;
