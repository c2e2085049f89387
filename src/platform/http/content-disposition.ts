import type { Readable } from 'node:stream';

import { StreamableFile } from '@nestjs/common';

import { extensionOf } from '../files/file-kind';
import type { StoredFile } from '../files/file-store.port';
import type { HttpResponse } from './command-http';

/** RFC 6266: an ASCII fallback name and the UTF-8 name (RFC 5987), always as an attachment. */
export function attachmentDisposition(filename: string, contentType: string): string {
  const extension = extensionOf(contentType);
  const name =
    filename.toLowerCase().endsWith(`.${extension}`) || (extension === 'jpg' && /\.jpe?g$/i.test(filename))
      ? filename
      : `${filename}.${extension}`;
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * A stored file as a download: its checked type, `Content-Disposition: attachment` and nosniff, so a
 * browser never renders it in the portal's origin.
 */
export function download(
  response: HttpResponse,
  opened: { file: StoredFile; stream: Readable },
  filename: string,
  contentType: string,
): StreamableFile {
  response.header('Content-Type', contentType);
  response.header('Content-Disposition', attachmentDisposition(filename, contentType));
  response.header('X-Content-Type-Options', 'nosniff');
  response.header('Content-Length', String(opened.file.size));
  return new StreamableFile(opened.stream);
}
