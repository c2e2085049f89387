import type { FastifyInstance } from 'fastify';

/** An answer of the JSON API: its status and parsed body. */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/** The error body every refusal of the API carries (src/platform/http/error-response.ts). */
export interface ApiError {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

/** Thrown when the API refuses: the page shows `message` (French) and, for a form, the fields' messages. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
    this.name = 'ApiRefusal';
  }

  /** The validation messages by field path (`address.postalCode`), when the API listed them. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    const details = this.error.details;
    if (Array.isArray(details)) {
      for (const d of details as { path?: unknown; message?: unknown }[]) {
        if (typeof d.path === 'string' && typeof d.message === 'string' && !(d.path in out)) out[d.path] = d.message;
      }
    } else if (details && typeof details === 'object' && typeof (details as { field?: unknown }).field === 'string') {
      out[(details as { field: string }).field] = this.error.message;
    }
    return out;
  }
}

/**
 * The pages' one way into the application: the JSON API of this same process, called in memory
 * (Fastify's `inject`: no socket, no network), with the session's bearer token. So a page runs exactly
 * the API's validation, authorization (roles, FamilyAccessPolicy) and commands: no rule lives twice, and
 * whatever the authorization matrix proves of the API holds for the pages.
 */
export class ApiClient {
  constructor(
    private readonly fastify: FastifyInstance,
    private readonly token: string | undefined,
    private readonly correlationId: string,
    /** the browser's address: the API's login throttle and rate limits count per source, not per portal */
    private readonly remoteAddress: string,
  ) {}

  get<T>(url: string): Promise<T> {
    return this.call<T>('GET', url);
  }

  post<T>(url: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', url, body);
  }

  async call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
    const answer = await this.raw<T>(method, url, body);
    if (answer.status >= 400) throw new ApiRefusal(answer.status, answer.body as unknown as ApiError);
    return answer.body;
  }

  /** A file of the API (an invoice's PDF): its bytes and headers, or the API's refusal. */
  async file(url: string): Promise<{ type: string; disposition: string; body: Buffer }> {
    const response = await this.fastify.inject({
      method: 'GET',
      url,
      headers: { 'x-correlation-id': this.correlationId, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      remoteAddress: this.remoteAddress,
    });
    if (response.statusCode >= 400) {
      let error: ApiError;
      try {
        error = JSON.parse(response.body) as ApiError;
      } catch {
        error = { statusCode: response.statusCode, code: 'NOT_JSON', message: 'Réponse inattendue du service.' };
      }
      throw new ApiRefusal(response.statusCode, error);
    }
    const header = (name: string) => {
      const v = response.headers[name];
      return typeof v === 'string' ? v : '';
    };
    return {
      type: header('content-type') || 'application/octet-stream',
      disposition: header('content-disposition') || 'inline',
      body: response.rawPayload,
    };
  }

  async raw<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { 'x-correlation-id': this.correlationId, accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fastify.inject({
      method,
      url,
      headers,
      remoteAddress: this.remoteAddress,
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const text = response.body;
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { statusCode: response.statusCode, code: 'NOT_JSON', message: 'Réponse inattendue du service.' };
      }
    }
    return { status: response.statusCode, body: parsed as T };
  }
}
