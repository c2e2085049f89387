import { type EventOf, eventTable } from '../../platform/domain/event-table';

/** One stream per family for the reads of its sensitive data by staff and auditors. */
export function accessLogStream(familyId: string): string {
  return `access-log-${familyId}`;
}

/** What kind of sensitive data a read exposed. */
export type SensitiveData = 'health' | 'bank' | 'history';

/**
 * A staff member, an auditor or an administrator read a family's health data or bank details
 * (the DPO's question: who saw what, when). Parents reading their own family are not logged.
 */
export type SensitiveDataReadData = {
  familyId: string;
  userId: string;
  role: string;
  data: SensitiveData[];
  /** the endpoint, e.g. "GET /families/:familyId" */
  resource: string;
  readAt: string;
  correlationId: string;
};
type AuditEventData = { SensitiveDataRead: SensitiveDataReadData };

export const auditEvents = eventTable<AuditEventData>({
  SensitiveDataRead: { version: 1, personalData: [] },
});

export type SensitiveDataRead = EventOf<AuditEventData, 'SensitiveDataRead'>;
