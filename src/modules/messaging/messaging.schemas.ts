import { z } from 'zod';

import { bodyId, multiLineText, opaqueText, patternText, singleLineText } from '../../platform/domain/text';
import { TOPICS } from './messaging.events';
import { MAX_BODY_LENGTH } from './threads/thread.decider';

const body = multiLineText(MAX_BODY_LENGTH, 'Message');
const subject = singleLineText(150, 'Objet');
const topic = z.enum(TOPICS, { error: 'Objet : « reservation », « billing », « health » ou « other ».' });

/** A new conversation: to a facility of the family's commune, or (no facilityId) to the commune's family service. */
export const startThreadBodySchema = z.strictObject({
  facilityId: bodyId('Structure').optional(),
  topic,
  subject,
  body,
});

export const postMessageBodySchema = z.strictObject({ body });

export const broadcastBodySchema = z.strictObject({
  activityId: bodyId('Activité').optional(),
  topic,
  subject,
  body,
});

const isoDate = patternText(/^\d{4}-\d{2}-\d{2}$/, 'Date au format AAAA-MM-JJ.');

export const folderQuerySchema = z.strictObject({
  folder: z.enum(['received', 'sent', 'deleted'], { error: 'Dossier : « received », « sent » ou « deleted ».' }).default('received'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: opaqueText(500, 'Curseur').optional(),
});

export const searchQuerySchema = z.strictObject({
  q: singleLineText(200, 'Recherche', 0).default(''),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export const queueQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: opaqueText(500, 'Curseur').optional(),
});
