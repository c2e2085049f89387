import type { Principal } from '../commands/command-context';
import type { Authenticator } from './authenticator.port';

/**
 * Fixed demo tokens, for the embedded runtime only (the configuration refuses them in server mode).
 * They stand in for real accounts until the identity issue lands.
 */
export class DemoTokenAuthenticator implements Authenticator {
  private readonly tokens: Map<string, Principal>;

  constructor(tokens: Record<string, Principal>) {
    this.tokens = new Map(Object.entries(tokens));
  }

  async authenticate(token: string): Promise<Principal | null> {
    return this.tokens.get(token) ?? null;
  }
}

/** Refuses every token: the server runtime until real identity lands (only public endpoints answer). */
export class NoAuthenticator implements Authenticator {
  async authenticate(): Promise<Principal | null> {
    return null;
  }
}
