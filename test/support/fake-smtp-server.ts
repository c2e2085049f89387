/**
 * A tiny SMTP server for tests, on Node's `net` module: enough of RFC 5321 for nodemailer to deliver
 * (greeting, EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT), capturing every message.
 * No TLS and no AUTH are advertised, so nodemailer talks plain SMTP to it. Listens on 127.0.0.1 on a free
 * port.
 *
 * `readMime` below is the other half: it reads the captured (or `.eml`) message back, decoding the
 * encoded-word headers and the quoted-printable / base64 parts, so tests assert on what a mail client
 * would show rather than on nodemailer's encoding choices.
 */
import net from 'node:net';

export interface ReceivedMessage {
  /** reverse-path of MAIL FROM */
  from: string;
  /** forward-paths of the accepted RCPT TO */
  to: string[];
  /** the message as transmitted after DATA, dot-unstuffed, CRLF line ends, without the final `.` */
  data: string;
}

export interface FakeSmtpServerOptions {
  /** recipients to refuse with `550` at RCPT TO */
  refuse?: (recipient: string) => boolean;
}

export class FakeSmtpServer {
  readonly messages: ReceivedMessage[] = [];
  /** every command line received, in order (DATA content excluded) */
  readonly commands: string[] = [];
  private readonly sockets = new Set<net.Socket>();
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: net.Server,
    private readonly options: FakeSmtpServerOptions,
  ) {}

  static async start(options: FakeSmtpServerOptions = {}): Promise<FakeSmtpServer> {
    const server = net.createServer();
    const fake = new FakeSmtpServer(server, options);
    server.on('connection', (socket) => fake.converse(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Resolves once `count` messages have been received (or rejects after `timeoutMs`). */
  async waitForMessages(count: number, timeoutMs = 5_000): Promise<ReceivedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Fake SMTP: ${this.messages.length} of ${count} messages after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages.slice(0, count);
  }

  /** Closes the listener and every open connection. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private converse(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8'); // a StringDecoder: a UTF-8 character split across chunks stays whole

    const reply = (line: string) => socket.write(`${line}\r\n`);
    let from: string | null = null;
    let to: string[] = [];
    let data: string[] | null = null; // non-null while reading the DATA content
    let pending = '';

    const onLine = (line: string): void => {
      if (data !== null) {
        if (line === '.') {
          this.messages.push({ from: from ?? '', to, data: data.join('\r\n') });
          for (const wake of this.waiters.splice(0)) wake();
          reply(`250 2.0.0 OK queued as ${this.messages.length}`);
          from = null;
          to = [];
          data = null;
        } else {
          data.push(line.startsWith('.') ? line.slice(1) : line); // RFC 5321 4.5.2 dot-unstuffing
        }
        return;
      }

      this.commands.push(line);
      const verb = line.slice(0, 4).toUpperCase();
      const path = /<([^>]*)>/.exec(line)?.[1];
      switch (verb) {
        case 'EHLO':
          socket.write('250-fake-smtp\r\n250 8BITMIME\r\n');
          return;
        case 'HELO':
          return void reply('250 fake-smtp');
        case 'MAIL':
          if (path === undefined) return void reply('501 5.5.4 Syntax: MAIL FROM:<address>');
          from = path;
          to = [];
          return void reply('250 2.1.0 OK');
        case 'RCPT':
          if (from === null) return void reply('503 5.5.1 MAIL first');
          if (path === undefined) return void reply('501 5.5.4 Syntax: RCPT TO:<address>');
          if (this.options.refuse?.(path)) return void reply('550 5.1.1 Mailbox unavailable');
          to.push(path);
          return void reply('250 2.1.5 OK');
        case 'DATA':
          if (to.length === 0) return void reply('503 5.5.1 RCPT first');
          data = [];
          return void reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          from = null;
          to = [];
          return void reply('250 2.0.0 OK');
        case 'NOOP':
          return void reply('250 2.0.0 OK');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          return void reply('502 5.5.2 Command not recognized');
      }
    };

    socket.on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        onLine(line);
      }
    });
    reply('220 fake-smtp ESMTP ready');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading a MIME message back (only what our mails use: one level of multipart, utf-8)

export interface MimeMessage {
  /** header values by lower-case name (first occurrence), unfolded, encoded-words decoded */
  headers: Map<string, string>;
  /** the leaf parts, bodies decoded */
  parts: Array<{ contentType: string; body: string }>;
}

export function readMime(raw: string): MimeMessage {
  const { headers, body } = splitEntity(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!contentType.toLowerCase().startsWith('multipart/') || boundary === undefined) {
    return { headers, parts: [{ contentType, body: decodeBody(body, headers) }] };
  }
  const parts = body
    .split(`--${boundary}`)
    .slice(1) // the preamble
    .filter((chunk) => !chunk.startsWith('--')) // the closing delimiter
    .map((chunk) => {
      const part = splitEntity(chunk.replace(/^\r\n/, ''));
      return { contentType: part.headers.get('content-type') ?? 'text/plain', body: decodeBody(part.body, part.headers) };
    });
  return { headers, parts };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeEncodedWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

/** RFC 2047: `=?UTF-8?Q?R=C3=A9initialisation?=` -> `Réinitialisation`; blanks between two words vanish. */
export function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(word, (_match, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeBody(body: string, headers: Map<string, string>): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const trimmed = body.replace(/\r\n$/, '');
  if (encoding === 'base64') return Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(trimmed.replace(/=\r\n/g, ''));
  return trimmed;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
