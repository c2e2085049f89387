/** The identity context's public face: what other contexts may use. */
export { CreateAccount } from './accounts/create-account';
export { accountCommands } from './identity.commands';
export { identityEvents } from './identity.events';
export { IdentityModule } from './identity.module';
export { createFamilyAccountBodySchema } from './identity.schemas';
export { normalizeLogin } from './identity.types';
export { passwordRulesDescription } from './password-policy.rules';
export { SessionStore } from './sessions/session-store';
