/**
 * SmsSender port: short text messages to a parent's mobile phone. Adapters: an outbox of files in the data
 * folder (embedded) and an HTTP provider configured by URL (server). A message is at most 160 GSM 03.38
 * characters (one SMS): `toGsmText` makes any French text fit.
 */
export interface SmsMessage {
  /** a French mobile number, as written in the family record (06 12 34 56 78, +33 6…) */
  to: string;
  /** at most 160 GSM characters */
  text: string;
  correlationId?: string;
}

export interface SentSms {
  id: string;
  /** E.164: +33612345678 */
  to: string;
  text: string;
  sentAt: string;
  correlationId?: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SentSms>;
  close(): Promise<void>;
}

export const SMS_SENDER = Symbol('SMS_SENDER');

export const SMS_MAX_LENGTH = 160;

/** GSM 03.38 basic set (one unit each); the extension set (€, [, ], {, }, ~, ^, |, \) counts two. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€';
const TYPOGRAPHIC: Record<string, string> = {
  '’': "'",
  '‘': "'",
  '«': '"',
  '»': '"',
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
  '\u202f': ' ',
};

/** Units of a GSM text (null when a character is not GSM). */
export function gsmLength(text: string): number | null {
  let length = 0;
  for (const c of text) {
    if (GSM_BASIC.includes(c)) length += 1;
    else if (GSM_EXTENDED.includes(c)) length += 2;
    else return null;
  }
  return length;
}

/** French text made GSM (typographic signs simplified, other accents dropped) and cut to 160 units with "...". */
export function toGsmText(text: string): string {
  let out = '';
  for (const c of text.replace(/\s+/g, ' ').trim()) {
    const mapped = TYPOGRAPHIC[c] ?? c;
    for (const m of mapped) {
      if (gsmLength(m) !== null) out += m;
      else {
        const base = m.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
        out += gsmLength(base) !== null ? base : '?';
      }
    }
  }
  if ((gsmLength(out) ?? 0) <= SMS_MAX_LENGTH) return out;
  let cut = '';
  for (const c of out) {
    if ((gsmLength(cut + c) ?? 0) > SMS_MAX_LENGTH - 3) break;
    cut += c;
  }
  return `${cut}...`;
}

/** A French mobile number as E.164 (+336…, +337…), or null. */
export function frenchMobile(phone: string): string | null {
  const digits = phone.replace(/[\s.-]/g, '');
  const national = /^0([67]\d{8})$/.exec(digits);
  if (national) return `+33${national[1]}`;
  const international = /^(?:\+|00)33([67]\d{8})$/.exec(digits);
  return international ? `+33${international[1]}` : null;
}

/** Checks what every adapter sends: a mobile number and one GSM SMS. */
export function checkSms(message: SmsMessage): { to: string; text: string } {
  const to = frenchMobile(message.to);
  if (!to) throw new Error(`SmsSender: ${JSON.stringify(message.to)} is not a French mobile number`);
  const length = gsmLength(message.text);
  if (length === null || length > SMS_MAX_LENGTH) throw new Error('SmsSender: the text is not one GSM SMS (160 GSM characters)');
  return { to, text: message.text };
}
