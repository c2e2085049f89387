import { z } from 'zod';

import { bodyId, opaqueText, plainString, singleLineText } from '../../platform/domain/text';

/**
 * HTTP bodies of the identity endpoints. Credentials are bounded before anything else looks at them: an
 * identifiant of at most 64 characters, a password of at most 1024 (the policy accepts 128 characters; the
 * margin lets the policy, not the parser, explain what is wrong), a token of at most 100.
 */
const login = singleLineText(64, 'Identifiant').describe('Identifiant');
const password = opaqueText(1024, 'Mot de passe');
const token = opaqueText(100, 'Jeton').describe('Jeton reçu par e-mail');
const commune = plainString('Commune')
  .trim()
  .min(1)
  .max(100)
  .transform((c) => c.toUpperCase());

export const loginBodySchema = z.strictObject({ login, password: password.describe('Mot de passe') });
export const forgotPasswordBodySchema = z.strictObject({ login });
export const tokenPasswordBodySchema = z.strictObject({
  login,
  token,
  password: password.describe('Nouveau mot de passe'),
});
export const changePasswordBodySchema = z.strictObject({
  currentPassword: password.describe('Mot de passe actuel'),
  newPassword: password.describe('Nouveau mot de passe'),
});
export const createFamilyAccountBodySchema = z.strictObject({
  login: login.describe('Identifiant donné par la commune (par exemple le N° Famille)'),
  email: z.email().max(254).describe("Adresse e-mail où envoyer le lien d'activation"),
  displayName: singleLineText(200, 'Nom affiché').describe('Nom affiché, par exemple « JEAN DUPONT »'),
  childIds: z
    .array(bodyId("Identifiant de l'enfant"))
    .min(1)
    .max(20)
    .optional()
    .describe('Limiter ce compte à certains enfants (parents séparés)'),
});
export const createStaffAccountBodySchema = z.strictObject({
  login,
  role: z.enum(['staff', 'auditor', 'admin']),
  email: z.email().max(254),
  displayName: singleLineText(200, 'Nom affiché'),
  scope: z.array(commune).min(1).max(100).optional().describe('Communes gérées (« * » pour toutes) ; pas pour un administrateur'),
});
export const disableAccountBodySchema = z.strictObject({ reason: singleLineText(500, 'Motif').describe('Motif') });
