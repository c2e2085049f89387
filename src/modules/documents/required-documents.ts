import { Injectable } from '@nestjs/common';

import { documentsOfFamily } from '../../../projections/family-documents/family-documents.queries';
import { StreamReader } from '../../platform/commands/stream-reader';
import { DomainError } from '../../platform/domain/domain-error';
import { ReadModels } from '../../platform/projections/read-models';
import { DOCUMENT_KIND_LABELS, type DocumentKind } from './documents.events';
import { requirementCommands } from './requirements/requirements.commands';

export interface Booking {
  childId: string;
  activityId: string;
  /** YYYY-MM-DD */
  date: string;
}

/**
 * Whether a family has provided, and staff accepted, the documents an activity requires, valid on the
 * booked day (a document about a child counts for that child; one without a child for the whole family).
 */
@Injectable()
export class RequiredDocuments {
  constructor(
    private readonly reader: StreamReader,
    private readonly readModels: ReadModels,
  ) {}

  async requiredFor(activityId: string): Promise<DocumentKind[]> {
    return this.reader.read(requirementCommands, activityId, (state) => [...state.kinds]);
  }

  /** The kinds missing for each booking (empty when nothing is missing). */
  async missing(familyId: string, bookings: Booking[]): Promise<{ booking: Booking; kinds: DocumentKind[] }[]> {
    const required = new Map<string, DocumentKind[]>();
    for (const activityId of new Set(bookings.map((b) => b.activityId))) required.set(activityId, await this.requiredFor(activityId));
    if ([...required.values()].every((k) => k.length === 0)) return [];
    const documents = (await documentsOfFamily(this.readModels, familyId)).filter((d) => d.status === 'accepted');
    return bookings
      .map((booking) => ({
        booking,
        kinds: (required.get(booking.activityId) ?? []).filter(
          (kind) =>
            !documents.some(
              (d) =>
                d.kind === kind &&
                (d.childId === undefined || d.childId === booking.childId) &&
                d.validFrom <= booking.date &&
                booking.date <= d.validUntil,
            ),
        ),
      }))
      .filter((m) => m.kinds.length > 0);
  }

  /** Refuses (422, naming the missing document) when a booking lacks a required document. */
  async assertProvided(familyId: string, bookings: Booking[]): Promise<void> {
    const [first] = await this.missing(familyId, bookings);
    if (!first) return;
    const names = first.kinds.map((k) => `« ${DOCUMENT_KIND_LABELS[k]} »`).join(', ');
    throw new DomainError(
      'DOCUMENT_MISSING',
      `Réservation refusée : ${first.kinds.length > 1 ? 'les documents' : 'le document'} ${names} ${first.kinds.length > 1 ? 'doivent' : 'doit'} être fourni${first.kinds.length > 1 ? 's' : ''} et validé${first.kinds.length > 1 ? 's' : ''} par la structure, valable le ${first.booking.date.split('-').reverse().join('/')}.`,
      'invalid',
      { missing: first.kinds, activityId: first.booking.activityId, childId: first.booking.childId, date: first.booking.date },
    );
  }
}
