/**
 * File uploads (multipart/form-data), on the routes that declare them only (`@AcceptsUploads()`): the
 * content-type parser installed in http-server.ts leaves the body unread on those routes and refuses it
 * (415) everywhere else. The handler then reads it with `readUpload`, after authentication and its own
 * access checks, so nothing from a caller who may not write is ever stored.
 *
 * Streams are bounded: each file goes from the socket through a magic-number check to the FileStore, and
 * stops (nothing kept) past its size limit; busboy stops counting files, fields and parts past theirs. A
 * 50 MB upload is refused without being held in memory. On any refusal the files already stored by the
 * request are deleted and the rest of the body is discarded as it arrives.
 */
import { Readable } from 'node:stream';

import Busboy, { type BusboyFileStream, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

import { DomainError } from '../domain/domain-error';
import { SNIFF_BYTES, sniffContentType } from '../files/file-kind';
import { type FileStore, FileTooLargeError, type StoredFile } from '../files/file-store.port';

/** The body of an upload route before `readUpload` reads it. */
export class MultipartBody {
  readonly multipart = true;
}

const UPLOAD_CONFIG_KEY = 'acceptsUploads';

/** Marks a route as taking multipart/form-data (files); JSON is still accepted on it. */
export const AcceptsUploads = () => RouteConfig({ [UPLOAD_CONFIG_KEY]: true });

/** Whether the route a request matched takes uploads (read by the content-type parser). */
export function routeAcceptsUploads(request: FastifyRequest): boolean {
  const config = request.routeOptions?.config as unknown as Record<string, unknown> | undefined;
  return config?.[UPLOAD_CONFIG_KEY] === true;
}

export function isMultipart(body: unknown): body is MultipartBody {
  return body instanceof MultipartBody;
}

export interface UploadLimits {
  maxFiles: number;
  maxFileBytes: number;
  /** bytes of one text field */
  maxFieldBytes: number;
  maxFields: number;
  /** the name of the file field(s) */
  fileField: string;
}

export interface UploadedForm {
  fields: Record<string, string>;
  files: StoredFile[];
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} Mo`;

/** Read a multipart body: text fields, and files stored through `store` once their bytes are checked. */
export async function readUpload(
  request: FastifyRequest,
  store: FileStore,
  limits: UploadLimits,
  metadata: Record<string, string>,
): Promise<UploadedForm> {
  const fields: Record<string, string> = {};
  const files: StoredFile[] = [];
  let failure: DomainError | undefined;
  const fail = (error: DomainError) => {
    failure ??= error;
  };
  let chain: Promise<void> = Promise.resolve();

  const raw = request.raw;
  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: raw.headers as BusboyHeaders,
      limits: {
        files: limits.maxFiles,
        // one byte more than allowed: the FileStore sees it and refuses the file
        fileSize: limits.maxFileBytes + 1,
        fields: limits.maxFields,
        fieldSize: limits.maxFieldBytes,
        parts: limits.maxFiles + limits.maxFields,
      },
    });
  } catch {
    throw new DomainError('MALFORMED_UPLOAD', "L'envoi de fichiers est mal formé.", 'invalid');
  }

  const done = new Promise<void>((resolve, reject) => {
    parser.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      if (valueTruncated) fail(new DomainError('FIELD_TOO_LONG', `Le champ « ${name} » est trop long.`, 'invalid'));
      else fields[name] = value;
    });
    parser.on('file', (name: string, stream: BusboyFileStream, filename: string) => {
      chain = chain.then(async () => {
        if (failure || name !== limits.fileField) {
          if (!failure) fail(new DomainError('UNEXPECTED_FILE', `Le champ « ${name} » ne peut pas contenir de fichier.`, 'invalid'));
          stream.resume();
          return;
        }
        try {
          files.push(await storeOne(stream, filename, store, limits, metadata));
        } catch (error) {
          stream.resume();
          if (error instanceof DomainError) fail(error);
          else if (error instanceof FileTooLargeError) fail(tooLarge(filename, limits.maxFileBytes));
          else throw error;
        }
      });
    });
    parser.on('filesLimit', () =>
      fail(new DomainError('TOO_MANY_ATTACHMENTS', `Un message ne peut pas avoir plus de ${limits.maxFiles} pièces jointes.`, 'invalid')),
    );
    parser.on('fieldsLimit', () => fail(new DomainError('TOO_MANY_FIELDS', 'Le formulaire contient trop de champs.', 'invalid')));
    parser.on('partsLimit', () => fail(new DomainError('TOO_MANY_FIELDS', 'Le formulaire contient trop de champs.', 'invalid')));
    parser.on('finish', () => chain.then(resolve, reject));
    parser.on('error', () => reject(new DomainError('MALFORMED_UPLOAD', "L'envoi de fichiers est mal formé.", 'invalid')));
    raw.on('error', reject);
  });
  raw.pipe(parser);

  try {
    await done;
  } catch (error) {
    failure ??= error instanceof DomainError ? error : new DomainError('MALFORMED_UPLOAD', "L'envoi de fichiers est mal formé.", 'invalid');
  }
  if (failure) {
    raw.unpipe(parser);
    raw.resume();
    await discard(store, files);
    throw failure;
  }
  return { fields, files };
}

/** Delete files stored by a request that is refused after all (nothing is kept of a refused request). */
export async function discard(store: FileStore, files: { id: string }[]): Promise<void> {
  await Promise.all(files.map((f) => store.delete(f.id).catch(() => false)));
}

function tooLarge(filename: string, max: number): DomainError {
  return new DomainError('FILE_TOO_LARGE', `Le fichier « ${filename} » dépasse la taille autorisée (${megabytes(max)}).`, 'invalid');
}

async function storeOne(
  stream: BusboyFileStream,
  filename: string,
  store: FileStore,
  limits: UploadLimits,
  metadata: Record<string, string>,
): Promise<StoredFile> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  while (size < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    size += next.value.length;
  }
  const first = Buffer.concat(head);
  if (first.length === 0) throw new DomainError('EMPTY_FILE', `Le fichier « ${filename} » est vide.`, 'invalid');
  const contentType = sniffContentType(first);
  if (!contentType) {
    throw new DomainError(
      'UNSUPPORTED_FILE_TYPE',
      `Le fichier « ${filename} » n'est pas accepté : seuls les documents PDF et les images JPEG ou PNG peuvent être joints.`,
      'invalid',
    );
  }
  const rest = Readable.from(
    (async function* () {
      yield first;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
  );
  return store.put({ contentType, filename: safeFilename(filename), data: rest, maxBytes: limits.maxFileBytes, metadata });
}

/** A name for the download: no path, no control characters, at most 120 characters. */
export function safeFilename(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 120);
  return base || 'piece-jointe';
}
