import type { Principal } from '../commands/command-context';

/**
 * Turns a bearer token into a principal. The one replaceable piece of authentication: the embedded demo
 * tokens today, real sessions when the identity module lands.
 */
export interface Authenticator {
  authenticate(token: string): Promise<Principal | null>;
}

export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
