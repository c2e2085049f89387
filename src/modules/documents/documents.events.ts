import { type EventOf, eventTable } from '../../platform/domain/event-table';

/** One stream per family: the documents it provides (certificates, insurance, vaccinations) and staff's decisions. */
export function familyDocumentsStream(familyId: string): string {
  return `family-documents-${familyId}`;
}

/** One stream per activity: the documents a family must provide to book it. */
export function documentRequirementsStream(activityId: string): string {
  return `document-requirements-${activityId}`;
}

export const DOCUMENT_KINDS = ['medical-certificate', 'insurance', 'vaccination'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  'medical-certificate': 'Certificat médical',
  insurance: "Attestation d'assurance",
  vaccination: 'Carnet de vaccination',
};

export type FamilyDocumentSubmittedData = {
  documentId: string;
  commune: string;
  kind: DocumentKind;
  /** the child it is about (absent: the whole family, e.g. an insurance certificate) */
  childId?: string;
  validFrom: string;
  validUntil: string;
  fileId: string;
  filename: string;
  contentType: string;
  size: number;
  submittedAt: string;
  submittedBy: string;
};
export type FamilyDocumentAcceptedData = { documentId: string; acceptedAt: string; acceptedBy: string };
export type FamilyDocumentRefusedData = { documentId: string; reason: string; refusedAt: string; refusedBy: string };

export type DocumentRequirementsSetData = {
  activityId: string;
  /** every kind listed must be provided, valid on the booked day and accepted, before a reservation */
  kinds: DocumentKind[];
  setAt: string;
  setBy: string;
};

/** One stream per published document (« Infos / Documents »): a règlement, a menu, a form. */
export function publicationStream(publicationId: string): string {
  return `publication-${publicationId}`;
}

export const PUBLICATION_CATEGORIES = ['reglement', 'menu', 'form', 'info'] as const;
export type PublicationCategory = (typeof PUBLICATION_CATEGORIES)[number];
export const PUBLICATION_CATEGORY_LABELS: Record<PublicationCategory, string> = {
  reglement: 'Règlement de fonctionnement',
  menu: 'Menus',
  form: 'Formulaires',
  info: 'Informations',
};

export type DocumentPublishedData = {
  publicationId: string;
  commune: string;
  /** absent: for every family of the commune */
  facilityId?: string;
  title: string;
  category: PublicationCategory;
  validFrom: string;
  validUntil?: string;
  /** the publication this one is a new version of (the old one stays, for the auditors) */
  replaces?: string;
  fileId: string;
  filename: string;
  contentType: string;
  size: number;
  publishedAt: string;
  publishedBy: string;
};

type DocumentEventData = {
  FamilyDocumentSubmitted: FamilyDocumentSubmittedData;
  FamilyDocumentAccepted: FamilyDocumentAcceptedData;
  FamilyDocumentRefused: FamilyDocumentRefusedData;
  DocumentRequirementsSet: DocumentRequirementsSetData;
  DocumentPublished: DocumentPublishedData;
};

export const documentEvents = eventTable<DocumentEventData>({
  // the file's name may name the child; the document itself is in the FileStore
  FamilyDocumentSubmitted: { version: 1, personalData: ['filename'] },
  FamilyDocumentAccepted: { version: 1, personalData: [] },
  FamilyDocumentRefused: { version: 1, personalData: ['reason'] },
  DocumentRequirementsSet: { version: 1, personalData: [] },
  // published by staff for many families: no family's personal data
  DocumentPublished: { version: 1, personalData: [] },
});

export type FamilyDocumentEvent = EventOf<
  DocumentEventData,
  'FamilyDocumentSubmitted' | 'FamilyDocumentAccepted' | 'FamilyDocumentRefused'
>;
export type RequirementsEvent = EventOf<DocumentEventData, 'DocumentRequirementsSet'>;
export type PublicationEvent = EventOf<DocumentEventData, 'DocumentPublished'>;
