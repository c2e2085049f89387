import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';
import { loadConfig } from './platform/config/config';
import { OUTBOX, Outbox } from './platform/mail/mailer.port';
import { ProjectionRunner } from './platform/projections/projection-runner';

const USAGE = `Usage:
  npm run cli -- projections            état des projections (checkpoint, retard)
  npm run cli -- rebuild <projection>   reconstruit une projection depuis la position zéro
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
    const started = performance.now();
    const status = await runner.rebuild(argument);
    console.log(`Projection ${argument} reconstruite en ${performance.now() - started} ms (checkpoint ${status.checkpoint}).`);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
