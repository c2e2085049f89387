/**
 * What the OpenAPI document says about every operation that no controller writes by hand, derived from
 * the code that does it, so that the document cannot drift from the runtime:
 * - the error answers (the shape of error-response.ts, with the codes the platform answers: 400
 *   VALIDATION_FAILED / MALFORMED_JSON, 401 UNAUTHENTICATED, 429 RATE_LIMITED, 500 INTERNAL_ERROR, 503
 *   STORAGE_* / SHUTTING_DOWN);
 * - the rate-limit headers of rate-limit.ts on every limited answer (never on the probes);
 * - integer formats from the bounds the zod schemas declare (int32 when they fit);
 * - the servers (PUBLIC_BASE_URL) and the tags, declared once.
 */
import { internalError } from './error-response';
import { RequestRateLimiter } from './rate-limit';

type Json = Record<string, unknown>;
interface Response {
  description?: string;
  headers?: Record<string, unknown>;
  content?: unknown;
}
interface Operation {
  tags?: string[];
  security?: unknown[];
  responses?: Record<string, Response | undefined>;
}
interface Document {
  servers?: { url: string; description?: string; 'x-internal'?: boolean }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const int = (minimum: number, maximum: number, description: string) => ({
  description,
  schema: { type: 'integer', format: 'int32', minimum, maximum },
});

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': int(1, 1_000_000, 'requêtes permises dans la fenêtre'),
  'RateLimit-Remaining': int(0, 1_000_000, 'requêtes restantes dans la fenêtre'),
  'RateLimit-Reset': int(1, 86_400, 'secondes avant la fin de la fenêtre'),
  'RateLimit-Policy': {
    description: 'la limite et sa fenêtre en secondes, par exemple « 600;w=60 »',
    schema: { type: 'string', pattern: '^\\d{1,7};w=\\d{1,5}$', maxLength: 16 },
  },
};

/** The error body every error answer has (ErrorBody in error-response.ts). */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  additionalProperties: false,
  properties: {
    statusCode: { type: 'integer', format: 'int32', minimum: 400, maximum: 599 },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,63}$', maxLength: 64, description: 'code stable, pour les programmes' },
    message: { type: 'string', maxLength: 1000, description: 'message en français, pour la personne' },
    details: { description: 'précisions selon le code (par exemple les champs invalides)' },
    correlationId: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9._:-]{1,64}$', description: 'à citer au support' },
  },
};

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };

function errorResponse(description: string, headers: Record<string, unknown> = {}): Response {
  return { description, headers, content: errorContent };
}

/** Completes the document Nest generated (bootstrap.ts), in place. */
export function completeOpenApiDocument(doc: Document, publicBaseUrl: string): void {
  const environment = publicBaseUrl.startsWith('https://') ? 'production' : 'local (development)';
  // parents reach it from the Internet: not an internal API
  doc.servers = [{ url: publicBaseUrl, description: `Portail Famille, ${environment} (PUBLIC_BASE_URL)`, 'x-internal': false }];
  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, ErrorResponse: ERROR_SCHEMA };

  const tags = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    const limited = !RequestRateLimiter.isExempt(path);
    for (const operation of Object.values(item)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      for (const tag of operation.tags ?? []) tags.add(tag);
      const responses = (operation.responses ??= {});
      const secured = (operation.security ?? []).length > 0;
      // the probes take no input
      if (limited && !['400', '422', '4XX'].some((s) => s in responses)) {
        responses['400'] = errorResponse('VALIDATION_FAILED (paramètres ou corps invalides, détail par champ) ou MALFORMED_JSON');
      }
      if (secured) responses['401'] ??= errorResponse('UNAUTHENTICATED : session absente, expirée ou révoquée');
      if (limited) {
        responses['429'] ??= errorResponse(
          'RATE_LIMITED : trop de requêtes en peu de temps (par compte pour un appel authentifié, par adresse sinon ; ' +
            'les téléchargements ont leur propre limite). Retry-After dit combien de secondes attendre.',
          { 'Retry-After': int(1, 86_400, 'secondes à attendre') },
        );
      }
      responses['500'] ??= errorResponse(`${internalError().code} : erreur inattendue, journalisée avec le correlationId`);
      responses['503'] ??= errorResponse(
        'STORAGE_FULL, STORAGE_CORRUPT, STORAGE_IO (stockage indisponible) ou SHUTTING_DOWN (redémarrage en cours)',
        { 'Retry-After': int(1, 3600, 'secondes à attendre') },
      );
      for (const [status, response] of Object.entries(responses)) {
        if (!response) continue;
        if (limited && /^[24]/.test(status)) response.headers = { ...RATE_LIMIT_HEADERS, ...response.headers };
      }
    }
  }
  const declared = new Map((doc.tags ?? []).map((t) => [t.name, t]));
  doc.tags = [...tags].sort().map((name) => declared.get(name) ?? { name });
  formatIntegers(doc);
}

/** int32 or int64 on every integer schema, from the bounds it declares. */
function formatIntegers(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) formatIntegers(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (schema.type === 'integer' && schema.format === undefined) {
    const min = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
    const max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
    schema.format = min >= -(2 ** 31) && max <= 2 ** 31 - 1 ? 'int32' : 'int64';
  }
  for (const value of Object.values(schema)) formatIntegers(value);
}
