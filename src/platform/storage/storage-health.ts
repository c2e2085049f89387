/**
 * What the stores' own errors say about the storage, kept for readiness and turned into clear answers.
 *
 * Every call to the EventStore, DocumentStore and JobScheduler goes through `monitorStore` (a Proxy): an
 * error that means the storage itself is in trouble becomes a DomainError answered 503 with a stable code
 * and a French message (never a 500), is logged once with the store it came from, and makes readiness
 * (`/health`) report it until it clears:
 *
 * - STORAGE_FULL (SQLite SQLITE_FULL: the disk, or the database's max_page_count): cleared by the next write
 *   that succeeds on that store, or by readiness' own probe (a 64 KiB write, committed then deleted) — the
 *   portal recovers by itself when space returns;
 * - STORAGE_CORRUPT (SQLITE_CORRUPT, SQLITE_NOTADB: a damaged file): sticks until the process restarts, whose
 *   start-up check (quick_check) then refuses the file: the operator restores a backup;
 * - STORAGE_IO (SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN: the file system failing or read-only):
 *   cleared by the next successful write, as for a full disk.
 */
import { Logger } from '@nestjs/common';

import { DomainError } from '../domain/domain-error';

export type StorageProblemCode = 'STORAGE_FULL' | 'STORAGE_CORRUPT' | 'STORAGE_IO';

export interface StorageProblem {
  store: string;
  code: StorageProblemCode;
  detail: string;
  /** performance.now() when it was first seen */
  sinceMs: number;
}

const MESSAGES: Record<StorageProblemCode, string> = {
  STORAGE_FULL: "L'espace de stockage du portail est plein : votre demande n'a pas été enregistrée. Veuillez réessayer plus tard.",
  STORAGE_CORRUPT:
    "Le portail est indisponible à la suite d'un incident sur ses données : votre demande n'a pas été enregistrée. Veuillez réessayer plus tard.",
  STORAGE_IO:
    "Le portail ne peut pas accéder à ses données pour le moment : votre demande n'a pas été enregistrée. Veuillez réessayer plus tard.",
};

export function classifyStorageError(error: unknown): StorageProblemCode | undefined {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (!code.startsWith('SQLITE_')) return undefined;
  if (code === 'SQLITE_FULL') return 'STORAGE_FULL';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'STORAGE_CORRUPT';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) return 'STORAGE_IO';
  return undefined;
}

/** Methods after whose success a store is known to accept writes again. */
const WRITES = new Set(['appendToStream', 'put', 'delete', 'commitBatch', 'dropCollection', 'schedule', 'writeProbe']);

export interface ProbedStore {
  /** a write that needs new space, undone at once (SQLite adapters) */
  writeProbe?(): Promise<void>;
}

export class StorageHealth {
  private readonly logger = new Logger('Storage');
  private readonly problems = new Map<string, StorageProblem>();
  private readonly stores = new Map<string, ProbedStore>();

  current(): StorageProblem[] {
    return [...this.problems.values()];
  }

  /** Wrap a store: its storage errors are recorded and become 503 DomainErrors. */
  monitor<T extends object>(name: string, store: T): T {
    this.stores.set(name, store as ProbedStore);
    const translate = (error: unknown) => this.translate(name, error);
    const succeeded = (method: string) => {
      if (WRITES.has(method)) this.clear(name);
    };
    return new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => {
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            throw translate(error);
          }
          if (result instanceof Promise) {
            return result.then(
              (ok: unknown) => {
                succeeded(property);
                return ok;
              },
              (error: unknown) => {
                throw translate(error);
              },
            );
          }
          return result;
        };
      },
    });
  }

  /** Readiness: try the flagged stores again (full or failing ones only; corruption waits for a restart). */
  async recheck(): Promise<void> {
    for (const problem of this.current()) {
      if (problem.code === 'STORAGE_CORRUPT') continue;
      const store = this.stores.get(problem.store);
      if (!store?.writeProbe) continue;
      try {
        await store.writeProbe();
        this.clear(problem.store);
      } catch {
        // still failing
      }
    }
  }

  /** An error met outside a store call (a background loop's): recorded like the others. */
  observe(store: string, error: unknown): void {
    this.translate(store, error);
  }

  private translate(store: string, error: unknown): unknown {
    if (error instanceof DomainError) return error;
    const code = classifyStorageError(error);
    if (!code) return error;
    const detail = error instanceof Error ? error.message : String(error);
    const known = this.problems.get(store);
    if (!known || (known.code !== code && known.code !== 'STORAGE_CORRUPT')) {
      this.problems.set(store, { store, code, detail, sinceMs: performance.now() });
      this.logger.error(`${store}: ${code} (${detail}); readiness reports it until it clears`);
    }
    return new DomainError(code, MESSAGES[code], 'unavailable', { store });
  }

  private clear(store: string): void {
    const known = this.problems.get(store);
    if (!known || known.code === 'STORAGE_CORRUPT') return;
    this.problems.delete(store);
    this.logger.log(`${store}: writes succeed again (${known.code} cleared)`);
  }
}
