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
/** One stream per family for what was done under the GDPR: erasures (and, as they land, other rights exercised). */
export function gdprStream(familyId: string): string {
  return `gdpr-${familyId}`;
}

/**
 * A family's personal data was erased (right to erasure, or a retention rule): its key was destroyed, so every
 * personal field of its events now reads « données effacées ». Logged without personal data: who decided it
 * (a staff user id, or 'system' for a retention rule), when, and why.
 */
export type FamilyDataErasedData = {
  familyId: string;
  erasedAt: string;
  erasedBy: string;
  reason: 'request' | 'retention';
  /** for a retention rule: which rule */
  rule?: string;
};

type AuditEventData = { SensitiveDataRead: SensitiveDataReadData; FamilyDataErased: FamilyDataErasedData };

export const auditEvents = eventTable<AuditEventData>({
  SensitiveDataRead: { version: 1, personalData: [] },
  FamilyDataErased: { version: 1, personalData: [] },
});

export type SensitiveDataRead = EventOf<AuditEventData, 'SensitiveDataRead'>;
export type FamilyDataErased = EventOf<AuditEventData, 'FamilyDataErased'>;
