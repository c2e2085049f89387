/**
 * Benchmark fixtures shared by bench/platform.bench.ts and its load-generator child (bench/http-load.ts):
 * the families the benchmark registers, the commands it sends, and the bearer tokens of their parents.
 * Kept free of Nest and of the stores so that the child process loads almost nothing.
 */
import { DEMO_FAMILIES } from '../src/demo/demo-data';
import type { RegisterFamily, RequestAddressChange } from '../src/modules/families/families.decider';
import type { Principal } from '../src/platform/commands/command-context';

/** Every benchmark family number starts with 99 (13 digits, like a real N° Famille). */
const BENCH_FAMILY_PREFIX = '99';
/** Family numbers are 99 + a 2-digit series + a 9-digit index: series keep the phases' families apart. */
export function benchFamilyId(series: number, index: number): string {
  return `${BENCH_FAMILY_PREFIX}${String(series).padStart(2, '0')}${String(index).padStart(9, '0')}`;
}

export const BENCH_SERIES = { pipelineSequential: 1, pipelineConcurrent: 2, http: 3, catchUp: 4 } as const;

export const BENCH_ACTOR = { userId: 'bench-seed', role: 'system' } as const;

/** The demo's DUPONT family (guardian, spouse, one child) under another number: a realistic event size. */
export function registration(familyId: string, at: string): RegisterFamily {
  const template = DEMO_FAMILIES[0];
  return { ...template, familyId, familyNumber: familyId, at, actor: BENCH_ACTOR };
}

/** A new address for the guardian: differs from the registered one, so the decider accepts it. */
export const NEW_ADDRESS = { line1: '5 AVENUE DES CERISIERS', postalCode: '31400', city: 'SAINT-JEAN' };

/** The HTTP body of POST /families/:id/requests/address (the README's example). */
export const ADDRESS_CHANGE_BODY = JSON.stringify({ person: 'guardian', address: NEW_ADDRESS });

export function addressChange(familyId: string, requestId: string, at: string): RequestAddressChange {
  return {
    type: 'RequestAddressChange',
    familyId,
    requestId,
    person: 'guardian',
    address: NEW_ADDRESS,
    at,
    actor: { userId: benchParentUserId(familyId), role: 'parent' },
  };
}

const BENCH_TOKEN_PREFIX = 'bench-parent-';

export function benchParentToken(familyId: string): string {
  return `${BENCH_TOKEN_PREFIX}${familyId}`;
}

function benchParentUserId(familyId: string): string {
  return `bench-parent-${familyId}`;
}

/** The parent principal of a benchmark family for `bench-parent-<familyId>`; null for any other token. */
export function benchPrincipal(token: string): Principal | null {
  if (!token.startsWith(BENCH_TOKEN_PREFIX)) return null;
  const familyId = token.slice(BENCH_TOKEN_PREFIX.length);
  if (!/^99\d{11}$/.test(familyId)) return null;
  return { userId: benchParentUserId(familyId), role: 'parent', familyId, displayName: 'PARENT BENCH' };
}
