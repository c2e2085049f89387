import 'reflect-metadata';

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { NestFactory } from '@nestjs/core';

import { ALL_PROJECTIONS } from '../projections';
import { familyRecordProjection } from '../projections/family-record/family-record.projection';
import { AppModule } from './app.module';
import { LedgerImportService } from './modules/billing';
import { backup, restore } from './operations/backup';
import { encryptExistingEvents } from './operations/encrypt-events';
import { progressBar } from './operations/progress-bar';
import { SystemClock } from './platform/clock/clock';
import { loadConfig } from './platform/config/config';
import type { DocumentStore } from './platform/document-store/document-store.port';
import { DomainError } from './platform/domain/domain-error';
import { EXIT, StartupError } from './platform/lifecycle/exit-codes';
import { OUTBOX, Outbox } from './platform/mail/mailer.port';
import { FamilyReplay } from './platform/projections/family-replay';
import { ProjectionRunner, RebuildInProgressError } from './platform/projections/projection-runner';
import { DOCUMENT_STORE } from './platform/tokens';

const USAGE = `Usage:
  npm run cli -- projections            état des projections (checkpoint, retard)
  npm run cli -- rebuild <projection>   reconstruit une projection depuis la position zéro (par le processus
                                        qui tient les projections, ou ici s'il n'y en a aucun)
  npm run cli -- outbox [adresse]       derniers e-mails de la boîte d'envoi (mode embarqué)
  npm run cli -- backup <fichier>       sauvegarde en ligne de DATA_DIR (mode embarqué) dans <fichier> (.tar.gz)
  npm run cli -- import-ledger <fichier.csv>
                                        reprend l'historique de l'ancien logiciel (factures, règlements, soldes) :
                                        tout ou rien, erreurs par numéro de ligne (README, « Reprise de l'historique »)
  npm run cli -- restore <fichier> <dossier>
                                        restaure une sauvegarde dans un nouveau dossier et la vérifie
  npm run cli -- check-families         contrôle de cohérence de toutes les familles : le rejeu du journal de
                                        chaque famille donne-t-il ses modèles de lecture ? (écarts listés, code 1)
  npm run cli -- encrypt-events         chiffre les données personnelles des événements écrits avant le
                                        chiffrement (mode embarqué, portail arrêté, après une sauvegarde)`;

/** Operations from the command line, on the same stores as the running portal. */
async function main(argv: string[]): Promise<number> {
  const [command, argument, second] = argv;
  if (
    !command ||
    !['projections', 'rebuild', 'outbox', 'backup', 'restore', 'check-families', 'encrypt-events', 'import-ledger'].includes(command)
  ) {
    console.error(USAGE);
    return EXIT.USAGE;
  }
  if (command === 'backup' || command === 'restore') return backupOrRestore(command, argument, second);
  if (command === 'encrypt-events') return encryptEvents();
  const config = { ...loadConfig(process.env), runProjections: false, demoData: false, logLevel: 'warn' as const };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const runner = app.get(ProjectionRunner);
    if (command === 'import-ledger') return await importLedger(app.get(LedgerImportService), argument);
    if (command === 'outbox') {
      const outbox = app.get<Outbox>(OUTBOX);
      for (const mail of await outbox.list({ to: argument, limit: 20 })) {
        console.log(`--- ${mail.sentAt}  à ${mail.to}\n${mail.subject}\n\n${mail.text}\n`);
      }
      return 0;
    }
    if (command === 'check-families') return await checkFamilies(app.get(FamilyReplay), app.get<DocumentStore>(DOCUMENT_STORE), runner);
    if (command === 'projections') {
      console.table(await runner.statuses());
      return 0;
    }
    if (!argument || !runner.names().includes(argument)) {
      console.error(`Projection inconnue « ${argument ?? ''} ». Projections : ${runner.names().join(', ')}`);
      return 64;
    }
    return await rebuild(runner, argument);
  } finally {
    await app.close();
  }
}

/** The ledger import with a progress bar on stderr; the bad lines listed when the file is refused. */
async function importLedger(ledger: LedgerImportService, file: string | undefined): Promise<number> {
  if (!file) {
    console.error(USAGE);
    return EXIT.USAGE;
  }
  const started = performance.now();
  const bar = (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round((done / total) * 100)} % ${done}/${total}`);
    if (done === total) process.stderr.write('\n');
  };
  try {
    const report = await ledger.import(
      basename(file),
      readFileSync(file, 'utf8'),
      { principal: { userId: 'cli-import', role: 'admin' }, correlationId: `import-${basename(file)}` },
      bar,
    );
    console.log(
      `${file} importé en ${Math.round(performance.now() - started)} ms : ${report.invoices} factures, ${report.payments} règlements, ` +
        `${report.openingBalances} soldes, ${report.families} familles.`,
    );
    return EXIT.OK;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'LEDGER_INVALID') {
      console.error(error.message);
      for (const e of (error.details?.errors ?? []) as { line: number; message: string }[])
        console.error(`  ligne ${e.line} : ${e.message}`);
      return EXIT.USAGE;
    }
    throw error;
  }
}

/** Backup and restore work on the SQLite files directly, beside a running portal: no application is built. */
async function backupOrRestore(command: 'backup' | 'restore', file: string | undefined, dataDir: string | undefined): Promise<number> {
  if (!file || (command === 'restore' && !dataDir)) {
    console.error(USAGE);
    return EXIT.USAGE;
  }
  const config = loadConfig(process.env);
  if (config.mode === 'server') {
    console.error(
      'backup/restore work on the embedded runtime; in server mode use the EventStoreDB and MongoDB tools (README, "Operations")',
    );
    return EXIT.USAGE;
  }
  const started = performance.now();
  if (command === 'backup') {
    const manifest = await backup(config.dataDir, file, () => new SystemClock().now());
    console.log(
      `Backup of ${manifest.source} written to ${file} in ${Math.round(performance.now() - started)} ms: ` +
        `${manifest.events.count} events up to position ${manifest.events.lastPosition}, ` +
        `${manifest.projections.length} read models (checkpoints ${manifest.projections.map((p) => `${p.name} ${p.checkpoint}`).join(', ')}).`,
    );
    return EXIT.OK;
  }
  const report = await restore(file, dataDir!);
  console.log(
    `Restored ${file} into ${dataDir} and verified it in ${Math.round(performance.now() - started)} ms: ` +
      `${report.events.count} events up to position ${report.events.lastPosition} (as in the manifest), integrity checks ok, ` +
      `read models equal to a replay of the log (${report.readModels.map((c) => `${c.projection} ${c.documents}`).join(', ')}). ` +
      `Start the portal with DATA_DIR=${dataDir}.`,
  );
  return EXIT.OK;
}

/** Every family of the family-record read model through the per-family consistency check, with a progress bar. */
async function checkFamilies(replay: FamilyReplay, documents: DocumentStore, runner: ProjectionRunner): Promise<number> {
  const collection = await runner.collectionOf(familyRecordProjection.name);
  const families: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await documents.find(collection, { limit: 1000, cursor });
    families.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  const definitions = replay.scoped(ALL_PROJECTIONS);
  const progress = progressBar('Familles contrôlées');
  const mismatches: string[] = [];
  for (const [index, familyId] of families.entries()) {
    for (const definition of definitions) {
      const report = await replay.check(definition, familyId);
      for (const difference of report.differences) mismatches.push(`${familyId} ${definition.name} ${difference}`);
    }
    progress(index + 1, families.length);
  }
  if (mismatches.length === 0) {
    console.log(`${families.length} familles, ${definitions.length} modèles de lecture chacune : aucun écart avec le journal.`);
    return EXIT.OK;
  }
  console.error(`${mismatches.length} écart(s) entre le journal et les modèles de lecture (rien n'a été corrigé) :`);
  for (const line of mismatches) console.error(`  ${line}`);
  return 1;
}

/** The one-off migration of events written before crypto-shredding (src/operations/encrypt-events.ts). */
async function encryptEvents(): Promise<number> {
  const config = loadConfig(process.env);
  if (config.mode === 'server') {
    console.error('encrypt-events works on the embedded runtime (EventStoreDB events cannot be rewritten in place: README)');
    return EXIT.USAGE;
  }
  const report = await encryptExistingEvents(config.dataDir, new SystemClock(), progressBar('Événements'));
  console.log(
    `${report.scanned} événements lus, ${report.encrypted} chiffrés` +
      (report.erasedFamiliesSkipped ? `, ${report.erasedFamiliesSkipped} d'une famille effacée laissés tels quels` : '') +
      '.',
  );
  return EXIT.OK;
}

/**
 * A rebuild runs where the projections are owned: the request is recorded, the running portal (embedded) or
 * projector (server) carries it out, and this waits for the outcome. With no owner alive (portal stopped), the
 * CLI carries it out itself. Exit codes: 0 done, 1 failed, 75 already requested or running (EX_TEMPFAIL).
 */
async function rebuild(runner: ProjectionRunner, name: string): Promise<number> {
  const started = performance.now();
  let request;
  try {
    request = await runner.requestRebuild(name, 'cli');
  } catch (error) {
    if (!(error instanceof RebuildInProgressError)) throw error;
    console.error(
      `Une reconstruction de ${name} est déjà demandée ou en cours${error.requestId ? ` (demande ${error.requestId})` : ''}. ` +
        `/ A rebuild of ${name} is already requested or running.`,
    );
    return 75;
  }
  console.log(`Demande ${request.id} enregistrée / rebuild requested.`);
  let lastStatus = '';
  for (;;) {
    const current = await runner.waitForRebuild(request.id, 2000);
    if (current.status === 'done') {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `Projection ${name} reconstruite en ${seconds} s par / rebuilt by ${current.owner} ` +
          `(collection ${current.collection}, checkpoint ${current.checkpoint}).`,
      );
      return 0;
    }
    if (current.status === 'failed') {
      console.error(`La reconstruction de ${name} a échoué / rebuild failed: ${current.error ?? 'unknown error'}`);
      return 1;
    }
    if (current.status !== lastStatus) {
      lastStatus = current.status;
      console.log(
        current.owner ? `… en cours chez / running in ${current.owner}` : '… en attente / waiting for the owner of the projections',
      );
    }
    if (current.status === 'pending' && !(await runner.ownerAlive())) {
      console.log('Aucun processus ne tient les projections : reconstruction ici. / No process owns the projections: rebuilding here.');
      await runner.runRebuildRequests();
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof StartupError) {
      console.error(`Portail Famille: ${error.message} (exit ${error.exitCode})`);
      process.exit(error.exitCode);
    }
    console.error(error);
    process.exit(EXIT.UNEXPECTED);
  },
);
