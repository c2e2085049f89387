/**
 * A refusal decided by the domain. `code` is stable (clients switch on it), `message` is French
 * (shown to the parent or the staff member), `kind` tells the HTTP layer which status to answer.
 */
export type DomainErrorKind =
  | 'invalid' // 422: understood but breaks a rule
  | 'not_found' // 404
  | 'conflict' // 409: state does not allow it (already decided, already exists)
  | 'forbidden' // 403
  | 'unauthenticated' // 401
  | 'precondition_failed' // 412: If-Match did not match the current revision
  | 'too_many_requests' // 429: a rate limit (details.retryAfterSeconds says how long to wait)
  | 'unavailable'; // 503: the service cannot do it now (storage full or failing, an operation failed or its owner is away); nothing was written

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'invalid',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
