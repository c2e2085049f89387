/**
 * A family's whole history as auditors read it: every event of every stream that concerns the family (record,
 * planning, the allocation decisions about its requests, its user accounts, the reads of its sensitive data…),
 * in commit order, with who did it (user, role) and from which request (correlation and causation ids).
 * Pure helpers: filters, the row an auditor reads, CSV and JSON Lines lines.
 */
import type { StoredEvent } from '../../../platform/event-store/event-store.port';

/** The context an event belongs to, from its stream's category (the part of the name before the first dash). */
const CONTEXT_OF_CATEGORY: Record<string, string> = {
  family: 'families',
  planning: 'planning',
  allocation: 'planning',
  attendance: 'planning',
  account: 'identity',
  'access-log': 'audit',
  gdpr: 'audit',
  invoice: 'billing',
  payment: 'billing',
  statement: 'billing',
  ledger: 'billing',
  invoicing: 'billing',
  regie: 'billing',
  inbox: 'inbox',
  message: 'inbox',
  publication: 'documents',
};

/** Streams whose category alone would name another context. */
const CONTEXT_OF_PREFIX: [string, HistoryContext][] = [
  ['access-log-', 'audit'],
  ['family-documents-', 'documents'],
  ['document-requirements-', 'documents'],
];

export const HISTORY_CONTEXTS = ['families', 'planning', 'identity', 'audit', 'billing', 'inbox', 'documents', 'other'] as const;
export type HistoryContext = (typeof HISTORY_CONTEXTS)[number];

export function contextOfStream(streamId: string): HistoryContext {
  for (const [prefix, context] of CONTEXT_OF_PREFIX) if (streamId.startsWith(prefix)) return context;
  const category = streamId.split('-')[0];
  return (CONTEXT_OF_CATEGORY[category] as HistoryContext | undefined) ?? 'other';
}

export interface HistoryFilter {
  types?: string[];
  context?: HistoryContext;
  /** ISO instants, inclusive */
  from?: string;
  to?: string;
}

export function matches(filter: HistoryFilter, event: StoredEvent): boolean {
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (filter.context && contextOfStream(event.streamId) !== filter.context) return false;
  const at = Date.parse(event.recordedAt);
  if (filter.from && at < Date.parse(filter.from)) return false;
  if (filter.to && at > Date.parse(filter.to)) return false;
  return true;
}

export interface HistoryRow {
  position: number;
  recordedAt: string;
  context: HistoryContext;
  streamId: string;
  revision: number;
  type: string;
  userId: string | null;
  role: string | null;
  correlationId: string | null;
  causationId: string | null;
  data: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function historyRow(event: StoredEvent, data: Record<string, unknown>): HistoryRow {
  return {
    position: event.position,
    recordedAt: event.recordedAt,
    context: contextOfStream(event.streamId),
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    userId: text(event.metadata.userId),
    role: text(event.metadata.role),
    correlationId: text(event.metadata.correlationId),
    causationId: text(event.metadata.causationId),
    data,
  };
}

export const CSV_COLUMNS = [
  'position',
  'recordedAt',
  'context',
  'streamId',
  'revision',
  'type',
  'userId',
  'role',
  'correlationId',
  'causationId',
  'data',
] as const;

/** RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. Formula-looking cells are defused. */
export function csvCell(value: unknown): string {
  let cell = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function csvLine(row: HistoryRow): string {
  return `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;
}
