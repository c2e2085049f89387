/**
 * The type of a file decided from its first bytes (magic numbers), never from its name or a header: a
 * script renamed « certificat.pdf » or sent as image/png is not a PDF nor a PNG. Only the kinds the portal
 * accepts are known here.
 */
export const ACCEPTED_KINDS = [
  { contentType: 'application/pdf', extension: 'pdf', magic: Buffer.from('%PDF-', 'latin1') },
  { contentType: 'image/png', extension: 'png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { contentType: 'image/jpeg', extension: 'jpg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
] as const;

/** The bytes needed to decide. */
export const SNIFF_BYTES = Math.max(...ACCEPTED_KINDS.map((k) => k.magic.length));

/** The checked media type of a file starting with `head`, or null when it is none of the accepted kinds. */
export function sniffContentType(head: Buffer): string | null {
  return ACCEPTED_KINDS.find((k) => head.length >= k.magic.length && head.subarray(0, k.magic.length).equals(k.magic))?.contentType ?? null;
}

/** The extension a download is named with, for a checked type. */
export function extensionOf(contentType: string): string {
  return ACCEPTED_KINDS.find((k) => k.contentType === contentType)?.extension ?? 'bin';
}
