import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';
import { loadConfig } from './platform/config/config';
import { OUTBOX, Outbox } from './platform/mail/mailer.port';
import { ProjectionRunner, RebuildInProgressError } from './platform/projections/projection-runner';

const USAGE = `Usage:
  npm run cli -- projections            état des projections (checkpoint, retard)
  npm run cli -- rebuild <projection>   reconstruit une projection depuis la position zéro (par le processus
                                        qui tient les projections, ou ici s'il n'y en a aucun)
  npm run cli -- outbox [adresse]       derniers e-mails de la boîte d'envoi (mode embarqué)`;

/** Operations from the command line, on the same stores as the running portal. */
async function main(argv: string[]): Promise<number> {
  const [command, argument] = argv;
  if (!command || !['projections', 'rebuild', 'outbox'].includes(command)) {
    console.error(USAGE);
    return 64;
  }
  const config = { ...loadConfig(process.env), runProjections: false, demoData: false, logLevel: 'warn' as const };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const runner = app.get(ProjectionRunner);
    if (command === 'outbox') {
      const outbox = app.get<Outbox>(OUTBOX);
      for (const mail of await outbox.list({ to: argument, limit: 20 })) {
        console.log(`--- ${mail.sentAt}  à ${mail.to}\n${mail.subject}\n\n${mail.text}\n`);
      }
      return 0;
    }
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
    console.error(error);
    process.exit(1);
  },
);
